"""Strings of the Vanishing gradients page (pages/vanishing_gradients.py)."""

STRINGS = {
    "grad.title": {"en": "Vanishing and exploding gradients", "zh": "梯度消失与梯度爆炸"},
    "grad.intro": {
        "en": "A simple RNN, an LSTM and a GRU read the same text with the same input size and hidden size H "
              "(the RNN and GRU are built with the same random seed). How much does the last hidden state "
              "h_{T−1} still depend on the state k steps back? That is the size of the Jacobian "
              "∂h_{T−1}/∂h_k; training signals for long-range dependencies travel back along exactly this path.",
        "zh": "简单 RNN、LSTM 和 GRU 读入同一段文本，输入维度和隐藏层大小 H 都相同（RNN 与 GRU 使用相同的随机种子构建）。"
              "最后的隐藏状态 h_{T−1} 还在多大程度上依赖于若干步之前的状态？这就是雅可比矩阵 ∂h_{T−1}/∂h_k 的大小；"
              "学习长程依赖的训练信号正是沿着这条路径反向传播的。",
    },
    "grad.model.rnn": {"en": "simple RNN (tanh)", "zh": "简单 RNN（tanh）"},
    "grad.model.lstm": {"en": "LSTM", "zh": "LSTM"},
    "grad.model.gru": {"en": "GRU", "zh": "GRU"},
    "grad.current_model": {"en": "{name} (your model)", "zh": "{name}（当前模型）"},
    # controls
    "grad.scale": {"en": "Scale the recurrent weights: W_hh → s · W_hh", "zh": "缩放循环权重：W_hh → s · W_hh"},
    "grad.scale_help": {
        "en": "Multiplies every model's recurrent weight matrix by s. For the RNN, σ_max(s · W_hh) = s · σ_max(W_hh): "
              "below 1 gradients must vanish, above 1 they can explode.",
        "zh": "把每个模型的循环权重矩阵乘以 s。对 RNN 而言 σ_max(s · W_hh) = s · σ_max(W_hh)：小于 1 时梯度必然消失，大于 1 时梯度可能爆炸。",
    },
    "grad.show_gru": {"en": "Include the GRU", "zh": "包括 GRU"},
    "grad.sigma": {"en": "RNN: σ_max(s·W_hh)", "zh": "RNN：σ_max(s·W_hh)"},
    "grad.threshold": {"en": "threshold s*", "zh": "阈值 s*"},
    "grad.threshold_help": {
        "en": "s* = 1 / σ_max(W_hh): the scale at which the RNN's recurrent matrix has largest singular value 1.",
        "zh": "s* = 1 / σ_max(W_hh)：RNN 循环矩阵的最大奇异值恰为 1 时的缩放系数。",
    },
    "grad.regime": {"en": "regime of the RNN", "zh": "RNN 所处区间"},
    "grad.regime.vanishing": {"en": "< 1: must vanish", "zh": "< 1：必然消失"},
    "grad.regime.exploding": {"en": "> 1: may explode", "zh": "> 1：可能爆炸"},
    "grad.regime.critical": {"en": "≈ 1: on the edge", "zh": "≈ 1：临界"},
    "grad.slider_hint": {
        "en": "s = 1 is the model as built. Below s* = {threshold} every RNN curve must vanish at least as fast as "
              "the bound; far above it the RNN's norms can grow with distance (exploding), while the LSTM's stay "
              "tame. Watch the Jacobian chart below as you move the slider.",
        "zh": "s = 1 表示模型原本的权重。低于 s* = {threshold} 时，RNN 的曲线至少和上界下降得一样快；远高于它时，RNN 的范数"
              "可能随距离增长（梯度爆炸），而 LSTM 的范数保持平稳。拖动滑块，观察下方的雅可比图。",
    },
    "grad.sigma_fig_title": {"en": "RNN: σ_max(s·W_hh) against s", "zh": "RNN：σ_max(s·W_hh) 随 s 的变化"},
    "grad.sigma_x": {"en": "scale s", "zh": "缩放系数 s"},
    "grad.sigma_y": {"en": "σ_max(s · W_hh)", "zh": "σ_max(s · W_hh)"},
    "grad.sigma_current": {"en": "current s", "zh": "当前 s"},
    "grad.sigma_threshold": {"en": "σ_max = 1 (threshold)", "zh": "σ_max = 1（阈值）"},
    # Jacobian figure
    "grad.jac_title": {"en": "‖∂h_{T−1}/∂h_k‖₂ against the distance T−1−k (log scale)",
                       "zh": "‖∂h_{T−1}/∂h_k‖₂ 随距离 T−1−k 的变化（对数坐标）"},
    "grad.jac_x": {"en": "distance T−1−k (steps back from the last token)", "zh": "距离 T−1−k（从最后一个词元往回的步数）"},
    "grad.jac_y": {"en": "spectral norm of the Jacobian", "zh": "雅可比矩阵的谱范数"},
    "grad.bound": {"en": "RNN bound (σ_max)^(T−1−k)", "zh": "RNN 上界 (σ_max)^(T−1−k)"},
    "grad.capped": {
        "en": "Only the last {shown} of {total} steps are differentiated (H = {hidden}), to keep the page fast; the "
              "states entering that stretch come from the full run.",
        "zh": "为保证页面流畅，只对 {total} 个时间步中的最后 {shown} 步求导（H = {hidden}）；进入该区间时的状态来自完整的前向计算。",
    },
    "grad.jac_caption": {
        "en": "Distance 0 is the identity (norm 1). The dashed line is the bound of Pascanu, Mikolov & Bengio (2013): "
              "∂h_t/∂h_{t−1} = diag(tanh′(a_t)) W_hh and |tanh′| ≤ 1, so ‖∂h_{T−1}/∂h_k‖₂ ≤ σ_max(W_hh)^(T−1−k). "
              "With σ_max < 1 the RNN's curve must fall at least as fast as the bound. Above 1 the bound grows, but "
              "tanh saturation can still keep the real norms small: a large σ_max is necessary, not sufficient, for "
              "explosion. Values too small for the axis (below about 1e-300) are left out.",
        "zh": "距离 0 处是单位矩阵（范数为 1）。虚线是 Pascanu、Mikolov 与 Bengio（2013）给出的上界："
              "∂h_t/∂h_{t−1} = diag(tanh′(a_t)) W_hh 且 |tanh′| ≤ 1，所以 ‖∂h_{T−1}/∂h_k‖₂ ≤ σ_max(W_hh)^(T−1−k)。"
              "当 σ_max < 1 时，RNN 的曲线下降得至少和上界一样快。σ_max > 1 时上界增长，但 tanh 饱和仍可能让实际范数很小："
              "σ_max 大是梯度爆炸的必要条件，而非充分条件。过小（约低于 1e-300）的数值不显示。",
    },
    "grad.hover_distance": {"en": "T−1−k", "zh": "T−1−k"},
    # contributions
    "grad.contrib_header": {"en": "Which time steps still teach the weights?", "zh": "哪些时间步还能“教”权重？"},
    "grad.contrib_caption": {
        "en": "Backpropagation through time sums one term per step: ∇_W E = Σ_k ∇_{W,k} E. Here E = Σ_units h_{T−1} "
              "(the loss looks at the last step only), and each bar is the norm of step k's term ‖∇_{W,k} E‖ "
              "(log scale). Bars that shrink towards the start are the vanishing gradient: early tokens barely "
              "change the weights.",
        "zh": "随时间反向传播把每个时间步的一项加起来：∇_W E = Σ_k ∇_{W,k} E。这里 E = Σ_units h_{T−1}（损失只看最后一步），"
              "每根柱子是第 k 步那一项的范数 ‖∇_{W,k} E‖（对数坐标）。越靠近开头柱子越短，就是梯度消失：前面的词元几乎不会改变权重。",
    },
    "grad.param": {"en": "Parameter", "zh": "参数"},
    "grad.param.weight_hh_l0": {"en": "recurrent weights W_hh", "zh": "循环权重 W_hh"},
    "grad.param.weight_ih_l0": {"en": "input weights W_ih", "zh": "输入权重 W_ih"},
    "grad.param.bias_ih_l0": {"en": "input bias b_ih", "zh": "输入偏置 b_ih"},
    "grad.param.bias_hh_l0": {"en": "recurrent bias b_hh", "zh": "循环偏置 b_hh"},
    "grad.contrib_title": {"en": "Per-step contributions ‖∇_{{W,k}} E‖ for {param}",
                           "zh": "各时间步的贡献 ‖∇_{{W,k}} E‖：{param}"},
    "grad.contrib_x": {"en": "token (time step k)", "zh": "词元（时间步 k）"},
    "grad.contrib_y": {"en": "norm", "zh": "范数"},
    "grad.hover.step": {"en": "step k", "zh": "时间步 k"},
    "grad.hover.value": {"en": "norm", "zh": "范数"},
    # forget product
    "grad.belt_header": {"en": "The LSTM's conveyor belt", "zh": "LSTM 的“传送带”"},
    "grad.belt_title": {"en": "Forget-gate product Π f_j over j = k+1 … T−1 along the cell state (log scale)",
                        "zh": "沿细胞状态的遗忘门连乘 Π f_j，j = k+1 … T−1（对数坐标）"},
    "grad.belt_x": {"en": "token (time step k)", "zh": "词元（时间步 k）"},
    "grad.belt_y": {"en": "Π f_j", "zh": "Π f_j"},
    "grad.belt_mean": {"en": "mean over all units", "zh": "所有单元的平均"},
    "grad.belt_caption": {
        "en": "Thin lines: the unit chosen in the sidebar/Gate heatmaps page (unit {unit}) and the {n} units with the "
              "longest memory (the largest product at the first step shown). Thick line: the mean over all units. "
              "A forget gate near 1 keeps the product, and with it the gradient along the cell, close to 1 over "
              "many steps.",
        "zh": "细线：在侧边栏/门控热力图页面选中的单元（单元 {unit}），以及记忆最长的 {n} 个单元（在所示第一步处连乘积最大）。"
              "粗线：所有单元的平均。遗忘门接近 1 时，连乘积以及沿细胞状态传播的梯度在许多步内都保持接近 1。",
    },
    "grad.unit": {"en": "unit", "zh": "单元"},
    "grad.belt_not_lstm": {"en": "The conveyor belt only exists in the LSTM.", "zh": "只有 LSTM 才有这条“传送带”。"},
    # explanation
    "grad.why_header": {"en": "Why the additive cell path keeps gradients alive", "zh": "为什么加法形式的细胞路径能让梯度存活"},
    "grad.why_body": {
        "en": "In a simple RNN every step multiplies the gradient by the same kind of matrix:\n\n"
              "$$\\frac{\\partial h_t}{\\partial h_{t-1}} = \\operatorname{diag}(\\tanh'(a_t))\\,W_{hh},\\qquad "
              "\\Big\\|\\frac{\\partial h_{T-1}}{\\partial h_k}\\Big\\|_2 \\le \\sigma_{\\max}(W_{hh})^{\\,T-1-k}.$$\n\n"
              "A product of T−1−k such factors shrinks (σ_max < 1) or can grow (σ_max > 1) exponentially: there is no "
              "setting of $W_{hh}$ that keeps it near 1 for every input.\n\n"
              "The LSTM's cell state is updated by **addition**:\n\n"
              "$$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t \\quad\\Longrightarrow\\quad "
              "\\frac{\\partial c_t}{\\partial c_{t-1}} = \\operatorname{diag}(f_t)$$\n\n"
              "(along the cell path, holding the gates fixed). Going back k steps multiplies element-wise by the "
              "forget gates, $\\prod_j f_j$, with no weight matrix and no squashing derivative in between. The "
              "network *learns* $f$: where it keeps $f_t \\approx 1$ the error flows back almost unchanged over long stretches "
              "(Hochreiter & Schmidhuber 1997, the “constant error carousel”; the forget gate is from Gers, "
              "Schmidhuber & Cummins 2000). The GRU's update $h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}$ has the same "
              "additive path, with $z_t$ in the role of $f_t$.",
        "zh": "在简单 RNN 中，每一步都把梯度乘以同一类矩阵：\n\n"
              "$$\\frac{\\partial h_t}{\\partial h_{t-1}} = \\operatorname{diag}(\\tanh'(a_t))\\,W_{hh},\\qquad "
              "\\Big\\|\\frac{\\partial h_{T-1}}{\\partial h_k}\\Big\\|_2 \\le \\sigma_{\\max}(W_{hh})^{\\,T-1-k}.$$\n\n"
              "T−1−k 个这样的因子相乘，会指数级地缩小（σ_max < 1）或可能指数级地增大（σ_max > 1）："
              "不存在一种 $W_{hh}$ 能让它对所有输入都保持在 1 附近。\n\n"
              "LSTM 的细胞状态通过**加法**更新：\n\n"
              "$$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t \\quad\\Longrightarrow\\quad "
              "\\frac{\\partial c_t}{\\partial c_{t-1}} = \\operatorname{diag}(f_t)$$\n\n"
              "（沿细胞路径，固定各个门）。往回走 k 步只是逐元素地乘以遗忘门 $\\prod_j f_j$，中间既没有权重矩阵，也没有压缩函数的导数。"
              "遗忘门 $f$ 是网络*学*出来的：在 $f_t \\approx 1$ 的地方，误差几乎不变地沿很长的距离反向传播"
              "（Hochreiter 与 Schmidhuber 1997 年提出的“恒定误差传送带”；遗忘门由 Gers、Schmidhuber 与 Cummins 于 2000 年提出）。"
              "GRU 的更新 $h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}$ 也有同样的加法路径，$z_t$ 扮演 $f_t$ 的角色。",
    },
    "grad.failed": {
        "en": "The gradients could not be computed for this model: {reason}",
        "zh": "无法为该模型计算梯度：{reason}",
    },
}
