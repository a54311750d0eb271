"""Strings of the Vanishing gradients page (pages/vanishing_gradients.py)."""

STRINGS = {
    "grad.title": {"en": "Vanishing and exploding gradients", "zh": "梯度消失与梯度爆炸"},
    "grad.intro": {
        "en": r"A simple RNN, an LSTM and a GRU read the same input vectors with the same input size and hidden size H. "
              r"Like for like, all three are **freshly initialised** with the same seed and the same scale "
              r"(PyTorch's uniform init in $\pm 1/\sqrt{{H}}$, LSTM forget bias 1): the differences below come from the "
              r"architectures alone, before any training, which is where learning a long-range dependency has to "
              r"start. How much does the last hidden state $h_{{T-1}}$ still depend on the state $k$ steps back? That "
              r"is the size of the Jacobian $\partial h_{{T-1}}/\partial h_k$; training signals for long-range "
              r"dependencies travel back along exactly this path.",
        "zh": r"简单 RNN、LSTM 和 GRU 读入同样的输入向量，输入维度和隐藏层大小 H 都相同。为了公平对比，三者都是"
              r"**新初始化**的网络，使用相同的随机种子和相同的初始化尺度（PyTorch 的均匀初始化，范围 $\pm 1/\sqrt{{H}}$，"
              r"LSTM 遗忘门偏置为 1）：下面的差异只来自网络结构本身，发生在任何训练之前——学习长程依赖正是要从这里起步。"
              r"最后的隐藏状态 $h_{{T-1}}$ 还在多大程度上依赖于 $k$ 步之前的状态？这就是雅可比矩阵 "
              r"$\partial h_{{T-1}}/\partial h_k$ 的大小；学习长程依赖的训练信号正是沿着这条路径反向传播的。",
    },
    "grad.own_toggle": {"en": "Add your trained model ({name})", "zh": "加入你训练好的模型（{name}）"},
    "grad.own_toggle_help": {
        "en": "Draws the sidebar's model as an extra curve, for reference. It is trained, the three others are not: "
              "training changes the picture (a trained LSTM learns forget gates near 1), so this one is not a "
              "like-for-like comparison.",
        "zh": "把侧边栏中的模型作为额外的一条曲线画出，仅供参考。它经过训练，其余三个没有：训练会改变结果"
              "（训练后的 LSTM 会学到接近 1 的遗忘门），所以这条曲线不属于同等条件下的对比。",
    },
    "grad.own_model": {"en": "{name}, trained (your model)", "zh": "{name}，已训练（你的模型）"},
    "grad.fresh_model": {"en": "{name}, fresh", "zh": "{name}，新初始化"},
    "grad.model.rnn": {"en": "simple RNN (tanh)", "zh": "简单 RNN（tanh）"},
    "grad.model.lstm": {"en": "LSTM", "zh": "LSTM"},
    "grad.model.gru": {"en": "GRU", "zh": "GRU"},
    "grad.current_model": {"en": "{name} (your model)", "zh": "{name}（当前模型）"},
    # controls
    "grad.scale": {"en": r"Scale the recurrent weights: $W_{{hh}} \to s\,W_{{hh}}$",
                   "zh": r"缩放循环权重：$W_{{hh}} \to s\,W_{{hh}}$"},
    "grad.scale_help": {
        "en": r"Multiplies every model's recurrent weight matrix by $s$. For the RNN, "
              r"$\sigma_{{\max}}(s\,W_{{hh}}) = s\,\sigma_{{\max}}(W_{{hh}})$: below 1 gradients must vanish; above 1 they can "
              r"explode, but need not (tanh saturation can still shrink them).",
        "zh": r"把每个模型的循环权重矩阵乘以 $s$。对 RNN 而言 $\sigma_{{\max}}(s\,W_{{hh}}) = s\,\sigma_{{\max}}(W_{{hh}})$："
              r"小于 1 时梯度必然消失；大于 1 时梯度可能爆炸，但不一定（tanh 饱和仍可能使其缩小）。",
    },
    "grad.show_gru": {"en": "Include the GRU", "zh": "包括 GRU"},
    "grad.sigma": {"en": r"RNN: $\sigma_{{\max}}(s\,W_{{hh}})$", "zh": r"RNN：$\sigma_{{\max}}(s\,W_{{hh}})$"},
    "grad.sigma_help": {
        "en": "The badge says what the RNN's curve below actually did over the window (its norm at the largest "
              "distance), coloured by that outcome: blue vanished, red grew, grey neither.",
        "zh": "徽标显示下方 RNN 曲线在该区间内实际的表现（最远距离处的范数），颜色表示结果：蓝色为消失，红色为增长，灰色为两者都不是。",
    },
    "grad.trend.vanishing": {"en": "measured: vanishes", "zh": "实测：消失"},
    "grad.trend.exploding": {"en": "measured: grows", "zh": "实测：增长"},
    "grad.trend.neither": {"en": "measured: neither", "zh": "实测：既不消失也不增长"},
    "grad.trend_note": {
        "en": "Measured on the RNN's curve below: ‖∂h/∂h‖ = {value} at distance {distance}.",
        "zh": "在下方 RNN 曲线上实测：距离 {distance} 处 ‖∂h/∂h‖ = {value}。",
    },
    "grad.threshold": {"en": r"threshold $s^*$", "zh": r"阈值 $s^*$"},
    "grad.threshold_help": {
        "en": r"$s^* = 1/\sigma_{{\max}}(W_{{hh}})$: the scale at which the RNN's recurrent matrix has largest singular value 1.",
        "zh": r"$s^* = 1/\sigma_{{\max}}(W_{{hh}})$：RNN 循环矩阵的最大奇异值恰为 1 时的缩放系数。",
    },
    "grad.regime": {"en": "regime of the RNN", "zh": "RNN 所处区间"},
    "grad.regime.vanishing": {
        "en": r"$\sigma_{{\max}} < 1$: the gradients **must** vanish (the bound falls exponentially).",
        "zh": r"$\sigma_{{\max}} < 1$：梯度**必然**消失（上界按指数下降）。",
    },
    "grad.regime.exploding": {
        "en": r"$\sigma_{{\max}} > 1$ is **necessary, not sufficient** for exploding gradients: the bound grows, but "
              r"$\tanh' < 1$ on saturated units can still make the real norms vanish — read the measured outcome.",
        "zh": r"$\sigma_{{\max}} > 1$ 是梯度爆炸的**必要而非充分**条件：上界在增长，但饱和单元上 $\tanh' < 1$ "
              r"仍可能让实际范数消失——请看实测结果。",
    },
    "grad.regime.critical": {
        "en": r"$\sigma_{{\max}} \approx 1$: on the edge; the bound stays near 1.",
        "zh": r"$\sigma_{{\max}} \approx 1$：处于临界，上界保持在 1 附近。",
    },
    "grad.slider_hint": {
        "en": r"$s = 1$ is the model as built. Below $s^* = {threshold}$ every RNN curve must vanish at least as fast "
              r"as the bound; far above it the RNN's norms can grow with distance (exploding), while the LSTM's stay "
              r"tame. Watch the Jacobian chart below as you move the slider.",
        "zh": r"$s = 1$ 表示模型原本的权重。低于 $s^* = {threshold}$ 时，RNN 的曲线至少和上界下降得一样快；远高于它时，"
              r"RNN 的范数可能随距离增长（梯度爆炸），而 LSTM 的范数保持平稳。拖动滑块，观察下方的雅可比图。",
    },
    "grad.sigma_fig_title": {"en": "RNN: σ<sub>max</sub>(s·W<sub>hh</sub>) against s",
                            "zh": "RNN：σ<sub>max</sub>(s·W<sub>hh</sub>) 随 s 的变化"},
    "grad.sigma_x": {"en": "scale s", "zh": "缩放系数 s"},
    "grad.sigma_y": {"en": "σ<sub>max</sub>(s·W<sub>hh</sub>)", "zh": "σ<sub>max</sub>(s·W<sub>hh</sub>)"},
    "grad.sigma_current": {"en": "current s", "zh": "当前 s"},
    "grad.sigma_threshold": {"en": "σ<sub>max</sub> = 1 (threshold)", "zh": "σ<sub>max</sub> = 1（阈值）"},
    "grad.jac_title": {"en": "‖∂h<sub>T−1</sub>/∂h<sub>k</sub>‖<sub>2</sub> against the distance T−1−k (log scale)",
                       "zh": "‖∂h<sub>T−1</sub>/∂h<sub>k</sub>‖<sub>2</sub> 随距离 T−1−k 的变化（对数坐标）"},
    "grad.jac_x": {"en": "distance T−1−k (steps back from the last token)", "zh": "距离 T−1−k（从最后一个词元往回的步数）"},
    "grad.jac_y": {"en": "spectral norm of the Jacobian", "zh": "雅可比矩阵的谱范数"},
    "grad.bound": {"en": "RNN bound σ<sub>max</sub><sup>T−1−k</sup>", "zh": "RNN 上界 σ<sub>max</sub><sup>T−1−k</sup>"},
    "grad.capped": {
        "en": "Only the last {shown} of {total} steps are differentiated (H = {hidden}), to keep the page fast; the "
              "states entering that stretch come from the full run.",
        "zh": "为保证页面流畅，只对 {total} 个时间步中的最后 {shown} 步求导（H = {hidden}）；进入该区间时的状态来自完整的前向计算。",
    },
    "grad.jac_caption": {
        "en": r"Distance 0 is the identity (norm 1). The dashed line is the bound of Pascanu, Mikolov & Bengio (2013): "
              r"$\partial h_t/\partial h_{{t-1}} = \operatorname{{diag}}(\tanh'(a_t))\,W_{{hh}}$ and $|\tanh'| \le 1$, so "
              r"$\|\partial h_{{T-1}}/\partial h_k\|_2 \le \sigma_{{\max}}(W_{{hh}})^{{T-1-k}}$. With $\sigma_{{\max}} < 1$ the "
              r"RNN's curve must fall at least as fast as the bound. Above 1 the bound grows, but tanh saturation can "
              r"still keep the real norms small: a large $\sigma_{{\max}}$ is necessary, not sufficient, for explosion. "
              r"Values too small for the axis (below about $10^{{-300}}$) are left out.",
        "zh": r"距离 0 处是单位矩阵（范数为 1）。虚线是 Pascanu、Mikolov 与 Bengio（2013）给出的上界："
              r"$\partial h_t/\partial h_{{t-1}} = \operatorname{{diag}}(\tanh'(a_t))\,W_{{hh}}$ 且 $|\tanh'| \le 1$，所以 "
              r"$\|\partial h_{{T-1}}/\partial h_k\|_2 \le \sigma_{{\max}}(W_{{hh}})^{{T-1-k}}$。当 $\sigma_{{\max}} < 1$ 时，"
              r"RNN 的曲线下降得至少和上界一样快。$\sigma_{{\max}} > 1$ 时上界增长，但 tanh 饱和仍可能让实际范数很小："
              r"$\sigma_{{\max}}$ 大是梯度爆炸的必要条件，而非充分条件。过小（约低于 $10^{{-300}}$）的数值不显示。",
    },
    "grad.hover_distance": {"en": "T−1−k", "zh": "T−1−k"},
    # contributions
    "grad.contrib_header": {"en": "Which time steps still teach the weights?", "zh": "哪些时间步还能“教”权重？"},
    "grad.contrib_caption": {
        "en": r"Backpropagation through time sums one term per step: $\nabla_W E = \sum_k \nabla_{{W,k}} E$. Here "
              r"$E = \sum_{{\text{{units}}}} h_{{T-1}}$ (the loss looks at the last step only), and each bar is the norm of "
              r"step $k$'s term $\|\nabla_{{W,k}} E\|$ (log scale). Bars that shrink towards the start are the vanishing "
              r"gradient: early tokens barely change the weights.",
        "zh": r"随时间反向传播把每个时间步的一项加起来：$\nabla_W E = \sum_k \nabla_{{W,k}} E$。这里 "
              r"$E = \sum_{{\text{{units}}}} h_{{T-1}}$（损失只看最后一步），每根柱子是第 $k$ 步那一项的范数 "
              r"$\|\nabla_{{W,k}} E\|$（对数坐标）。越靠近开头柱子越短，就是梯度消失：前面的词元几乎不会改变权重。",
    },
    "grad.param": {"en": "Parameter", "zh": "参数"},
    "grad.param.weight_hh_l0": {"en": "recurrent weights W_hh", "zh": "循环权重 W_hh"},
    "grad.param.weight_ih_l0": {"en": "input weights W_ih", "zh": "输入权重 W_ih"},
    "grad.param.bias_ih_l0": {"en": "input bias b_ih", "zh": "输入偏置 b_ih"},
    "grad.param.bias_hh_l0": {"en": "recurrent bias b_hh", "zh": "循环偏置 b_hh"},
    "grad.contrib_title": {"en": "Per-step contributions ‖∇<sub>W,k</sub> E‖ for {param}",
                           "zh": "各时间步的贡献 ‖∇<sub>W,k</sub> E‖：{param}"},
    "grad.contrib_x": {"en": "token (time step k)", "zh": "词元（时间步 k）"},
    "grad.contrib_y": {"en": "norm", "zh": "范数"},
    "grad.hover.step": {"en": "step k", "zh": "时间步 k"},
    "grad.hover.value": {"en": "norm", "zh": "范数"},
    # forget product
    "grad.belt_header": {"en": "The LSTM's conveyor belt", "zh": "LSTM 的“传送带”"},
    "grad.belt_title": {"en": "Forget-gate product Π f<sub>j</sub> over j = k+1 … T−1 along the cell state (log scale): {model}",
                        "zh": "沿细胞状态的遗忘门连乘 Π f<sub>j</sub>，j = k+1 … T−1（对数坐标）：{model}"},
    "grad.belt_x": {"en": "token (time step k)", "zh": "词元（时间步 k）"},
    "grad.belt_y": {"en": "Π f<sub>j</sub>", "zh": "Π f<sub>j</sub>"},
    "grad.belt_mean": {"en": "mean over all units", "zh": "所有单元的平均"},
    "grad.belt_caption": {
        "en": r"Drawn for {model}. Thin lines: the unit chosen in the sidebar/Gate heatmaps page (unit {unit}) and the "
              r"{n} units with the longest memory (the largest product at the first step shown). Thick line: the mean "
              r"over all units. A forget gate near 1 keeps the product, and with it the gradient along the cell, close "
              r"to 1 over many steps.",
        "zh": r"所画的是{model}。细线：在侧边栏/门控热力图页面选中的单元（单元 {unit}），以及记忆最长的 {n} 个单元"
              r"（在所示第一步处连乘积最大）。粗线：所有单元的平均。遗忘门接近 1 时，连乘积以及沿细胞状态传播的梯度在许多步内都保持接近 1。",
    },
    "grad.unit": {"en": "unit", "zh": "单元"},
    "grad.belt_not_lstm": {"en": "The conveyor belt only exists in the LSTM.", "zh": "只有 LSTM 才有这条“传送带”。"},
    # explanation
    "grad.why_header": {"en": "Why the additive cell path keeps gradients alive", "zh": "为什么加法形式的细胞路径能让梯度存活"},
    "grad.why_body": {
        "en": "In a simple RNN every step multiplies the gradient by the same kind of matrix:\n\n"
              "$$\\frac{{\\partial h_t}}{{\\partial h_{{t-1}}}} = \\operatorname{{diag}}(\\tanh'(a_t))\\,W_{{hh}},\\qquad "
              "\\Big\\|\\frac{{\\partial h_{{T-1}}}}{{\\partial h_k}}\\Big\\|_2 \\le \\sigma_{{\\max}}(W_{{hh}})^{{\\,T-1-k}}.$$\n\n"
              "A product of $T-1-k$ such factors shrinks ($\\sigma_{{\\max}} < 1$) or can grow ($\\sigma_{{\\max}} > 1$) "
              "exponentially: there is no "
              "setting of $W_{{hh}}$ that keeps it near 1 for every input.\n\n"
              "The LSTM's cell state is updated by **addition**:\n\n"
              "$$c_t = f_t \\odot c_{{t-1}} + i_t \\odot g_t \\quad\\Longrightarrow\\quad "
              "\\frac{{\\partial c_t}}{{\\partial c_{{t-1}}}} = \\operatorname{{diag}}(f_t)$$\n\n"
              "(along the cell path, holding the gates fixed). Going back k steps multiplies element-wise by the "
              "forget gates, $\\prod_j f_j$, with no weight matrix and no squashing derivative in between. The "
              "network *learns* $f$: where it keeps $f_t \\approx 1$ the error flows back almost unchanged over long stretches "
              "(Hochreiter & Schmidhuber 1997, the “constant error carousel”; the forget gate is from Gers, "
              "Schmidhuber & Cummins 2000). The GRU's update $h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{{t-1}}$ has the same "
              "additive path, with $z_t$ in the role of $f_t$.",
        "zh": "在简单 RNN 中，每一步都把梯度乘以同一类矩阵：\n\n"
              "$$\\frac{{\\partial h_t}}{{\\partial h_{{t-1}}}} = \\operatorname{{diag}}(\\tanh'(a_t))\\,W_{{hh}},\\qquad "
              "\\Big\\|\\frac{{\\partial h_{{T-1}}}}{{\\partial h_k}}\\Big\\|_2 \\le \\sigma_{{\\max}}(W_{{hh}})^{{\\,T-1-k}}.$$\n\n"
              "$T-1-k$ 个这样的因子相乘，会指数级地缩小（$\\sigma_{{\\max}} < 1$）或可能指数级地增大（$\\sigma_{{\\max}} > 1$）："
              "不存在一种 $W_{{hh}}$ 能让它对所有输入都保持在 1 附近。\n\n"
              "LSTM 的细胞状态通过**加法**更新：\n\n"
              "$$c_t = f_t \\odot c_{{t-1}} + i_t \\odot g_t \\quad\\Longrightarrow\\quad "
              "\\frac{{\\partial c_t}}{{\\partial c_{{t-1}}}} = \\operatorname{{diag}}(f_t)$$\n\n"
              "（沿细胞路径，固定各个门）。往回走 k 步只是逐元素地乘以遗忘门 $\\prod_j f_j$，中间既没有权重矩阵，也没有压缩函数的导数。"
              "遗忘门 $f$ 是网络*学*出来的：在 $f_t \\approx 1$ 的地方，误差几乎不变地沿很长的距离反向传播"
              "（Hochreiter 与 Schmidhuber 1997 年提出的“恒定误差传送带”；遗忘门由 Gers、Schmidhuber 与 Cummins 于 2000 年提出）。"
              "GRU 的更新 $h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{{t-1}}$ 也有同样的加法路径，$z_t$ 扮演 $f_t$ 的角色。",
    },
    "grad.failed": {
        "en": "The gradients could not be computed for this model: {reason}",
        "zh": "无法为该模型计算梯度：{reason}",
    },
}
