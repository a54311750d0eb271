"""Strings of the Backpropagation page (pages/backpropagation.py)."""

STRINGS = {
    "nav.backpropagation": {"en": "Backpropagation", "zh": "反向传播"},
    "bp.title": {"en": "How an LSTM learns: backpropagation through time", "zh": "LSTM 如何学习：随时间反向传播"},
    "bp.intro": {
        "en": "Training moves every weight against the gradient of a loss. The gradient is found by sending the "
              "error δ = ∂L/∂(·) backwards through time, from the last step to the first, through every gate. "
              "Here it is with this text's real numbers.",
        "zh": "训练时每个权重都沿损失梯度的反方向移动。梯度的求法是把误差 δ = ∂L/∂(·) 沿时间反向传递：从最后一步到第一步，"
              "经过每一个门。这里用的是当前文本的真实数值。",
    },
    "bp.section": {"en": "Section", "zh": "部分"},
    "bp.section.steps": {"en": "Backward step by step", "zh": "逐步反向传播"},
    "bp.section.connectivity": {"en": "Connectivity", "zh": "连通性"},
    "bp.section.surface": {"en": "Error surface and clipping", "zh": "误差曲面与梯度裁剪"},
    # loss
    "bp.loss": {"en": "Loss L", "zh": "损失 L"},
    "bp.loss.lm_step": {"en": "next-character cross-entropy at one step", "zh": "某一步的下一字符交叉熵"},
    "bp.loss.lm_mean": {"en": "next-character cross-entropy, mean over all steps", "zh": "下一字符交叉熵（所有步平均）"},
    "bp.loss.unit": {"en": r"one unit of h at the last step: $h_{{T-1}}[\text{{unit}}]$",
                     "zh": r"最后一步 h 的一个单元：$h_{{T-1}}[\text{{单元}}]$"},
    "bp.loss.sum": {"en": r"sum of the last hidden state: $\sum_j h_{{T-1}}[j]$",
                    "zh": r"最后隐藏状态之和：$\sum_j h_{{T-1}}[j]$"},
    "bp.loss_step": {"en": "Loss at step", "zh": "损失所在的步"},
    "bp.loss_step_help": {
        "en": "The prediction made at this step: the probability the model gave to the character that follows.",
        "zh": "这一步做出的预测：模型给随后那个字符的概率。",
    },
    "bp.loss_value.lm_step": {
        "en": "L = −log P(next character {target} | text up to step {s}) = {value} nats",
        "zh": "L = −log P(下一个字符 {target} | 直到第 {s} 步的文本) = {value} 奈特",
    },
    "bp.loss_value.lm_mean": {
        "en": "L = mean over {n} predictions of −log P(next character) = {value} nats",
        "zh": "L = {n} 次预测的 −log P(下一个字符) 的平均 = {value} 奈特",
    },
    "bp.loss_value.unit": {"en": "$L = h_{{T-1}}[{unit}] = {value}$", "zh": "$L = h_{{T-1}}[{unit}] = {value}$"},
    "bp.loss_value.sum": {"en": r"$L = \sum_j h_{{T-1}}[j] = {value}$", "zh": r"$L = \sum_j h_{{T-1}}[j] = {value}$"},
    "bp.no_lm": {
        "en": "This model has no language-model head, so the loss is read from its hidden state. (The Train page's "
              "task loss is not offered here yet.)",
        "zh": "该模型没有语言模型输出层，因此损失取自它的隐藏状态。（此处暂不提供训练页面的任务损失。）",
    },
    "bp.failed": {"en": "The backward pass could not be computed: {reason}", "zh": "无法计算反向传播：{reason}"},
    # stepping
    "bp.prev": {"en": "t − 1 (back)", "zh": "t − 1（后退）"},
    "bp.next": {"en": "t + 1", "zh": "t + 1"},
    "bp.play": {"en": "Play backward", "zh": "反向播放"},
    "bp.stop": {"en": "Stop", "zh": "停止"},
    "bp.playing": {"en": "Playing backward… press Stop to pause.", "zh": "正在反向播放……按“停止”暂停。"},
    "bp.current": {"en": "Backward step t = {t} (steps 0 to {last}), token: ", "zh": "反向第 t = {t} 步（第 0 到 {last} 步），词元："},
    "bp.enter_last": {
        "en": "**The error starts here.** t = {t} is the last step, so no step t+1 sends anything back: the δ's "
              "from t+1 are 0 and δhₜ is just ∂L/∂hₜ. Press “t − 1 (back)” or “Play backward” to follow it back in time.",
        "zh": "**误差从这里开始。** t = {t} 是最后一步，没有第 t+1 步传回任何东西：来自 t+1 的 δ 都是 0，δhₜ 就是 ∂L/∂hₜ。"
              "按“t − 1（后退）”或“反向播放”，沿时间往回跟踪它。",
    },
    "bp.enter_here": {
        "en": "**The error starts here.** L reads no step after t = {t}, so nothing comes back from t+1: those δ's "
              "are 0 and δhₜ is just ∂L/∂hₜ. Press “t − 1 (back)” or “Play backward” to follow it back in time.",
        "zh": "**误差从这里开始。** L 不读取第 {t} 步之后的任何一步，所以从 t+1 传回的是 0，δhₜ 就是 ∂L/∂hₜ。"
              "按“t − 1（后退）”或“反向播放”，沿时间往回跟踪它。",
    },
    "bp.after_loss": {
        "en": "L reads no step after t = {entry}, so it does not depend on step {t}: every δ here is 0. "
              "The error starts at step {entry}.",
        "zh": "L 不读取第 {entry} 步之后的任何一步，因此与第 {t} 步无关：这里所有的 δ 都是 0。误差从第 {entry} 步开始。",
    },
    "bp.go_entry": {"en": "Go to t = {entry}", "zh": "跳到 t = {entry}"},
    "bp.context": {
        "en": "Text around step t, coloured by δhₜ of unit {unit} (blue positive, red negative).",
        "zh": "第 t 步附近的文本，按单元 {unit} 的 δhₜ 着色（蓝为正，红为负）。",
    },
    "bp.strips_title": {"en": "{kind} at t = {t}: the error flowing through", "zh": "t = {t} 时的 {kind}：流经的误差"},
    "bp.group.arrive": {"en": "arriving", "zh": "到达"},
    "bp.group.inside": {"en": "inside the step", "zh": "步内"},
    "bp.group.leave": {"en": "leaving for step t−1", "zh": "传向第 t−1 步"},
    "bp.strips_capped": {
        "en": "H = {H}: the strips show units {start}–{stop} (64 around unit {unit}); one colour scale for all rows.",
        "zh": "H = {H}：色条只显示单元 {start}–{stop}（单元 {unit} 附近的 64 个）；所有行共用一个色标。",
    },
    "bp.strips_all": {
        "en": "All {H} units left to right, unit {unit} outlined; one colour scale for all rows.",
        "zh": "从左到右为全部 {H} 个单元，单元 {unit} 加框；所有行共用一个色标。",
    },
    "bp.row.dh_loss": {"en": "∂L/∂hₜ", "zh": "∂L/∂hₜ"},
    "bp.row.dh_next": {"en": "δh from t+1", "zh": "来自 t+1 的 δh"},
    "bp.row.dh": {"en": "δhₜ", "zh": "δhₜ"},
    "bp.row.dc_next": {"en": "δc from t+1", "zh": "来自 t+1 的 δc"},
    "bp.row.dc": {"en": "δcₜ", "zh": "δcₜ"},
    "bp.row.do": {"en": "δoₜ", "zh": "δoₜ"},
    "bp.row.di": {"en": "δiₜ", "zh": "δiₜ"},
    "bp.row.dg": {"en": "δgₜ", "zh": "δgₜ"},
    "bp.row.df": {"en": "δfₜ", "zh": "δfₜ"},
    "bp.row.dz": {"en": "δzₜ", "zh": "δzₜ"},
    "bp.row.dn": {"en": "δnₜ", "zh": "δnₜ"},
    "bp.row.dr": {"en": "δrₜ", "zh": "δrₜ"},
    "bp.row.da": {"en": "δaₜ", "zh": "δaₜ"},
    "bp.row.dc_prev": {"en": "δcₜ₋₁", "zh": "δcₜ₋₁"},
    "bp.row.dh_prev": {"en": "δhₜ₋₁", "zh": "δhₜ₋₁"},
    "bp.colorbar": {"en": "δ", "zh": "δ"},
    "bp.unit_word": {"en": "unit", "zh": "单元"},
    "bp.what_happened": {"en": "The paths at this step (unit {unit})", "zh": "这一步的各条路径（单元 {unit}）"},
    "bp.equations": {"en": "The BPTT equations, with the numbers of unit {unit} at step {t}",
                     "zh": "BPTT 公式（代入第 {t} 步单元 {unit} 的数值）"},
    "bp.equations_note": {
        "en": r"$\delta x = \partial L/\partial x$. $\delta a$ are the gradients on the gates' pre-activations; the sum "
              r"over $k$ runs over every gate row of $W_{{hh}}$, so it is given as its value.",
        "zh": r"$\delta x = \partial L/\partial x$。$\delta a$ 为各门预激活值上的梯度；对 $k$ 的求和遍历 $W_{{hh}}$ "
              r"的每个门的行，因此直接给出其数值。",
    },
    "bp.say_arrive": {
        "en": "**Arriving:** unit {unit} gets {loss} straight from the loss and {next} from step t+1: δh = {dh}.",
        "zh": "**到达：** 单元 {unit} 直接从损失得到 {loss}，从第 t+1 步得到 {next}：δh = {dh}。",
    },
    "bp.say_output": {
        "en": "**Output gate:** the error reaching the output gate is δo = {do} (it was {o} open).",
        "zh": "**输出门：** 到达输出门的误差为 δo = {do}（它打开了 {o}）。",
    },
    "bp.say_cell": {
        "en": "**Cell:** the cell's error is δc = {dc}, of which {carried} came along the conveyor belt from step t+1.",
        "zh": "**细胞：** 细胞的误差为 δc = {dc}，其中 {carried} 沿传送带从第 t+1 步传来。",
    },
    "bp.say_gates": {
        "en": "**Gates:** from δc, the input gate gets δi = {di}, the candidate δg = {dg}, the forget gate δf = {df}.",
        "zh": "**各门：** 由 δc 得到：输入门 δi = {di}，候选值 δg = {dg}，遗忘门 δf = {df}。",
    },
    "bp.say_forget": {
        "en": "**Forget gate:** it passed {pct}% of the cell's error straight back to step t−1 (f = {f}): "
              "δcₜ₋₁ = {dc_prev}.",
        "zh": "**遗忘门：** 它把细胞误差的 {pct}% 直接传回第 t−1 步（f = {f}）：δcₜ₋₁ = {dc_prev}。",
    },
    "bp.say_update": {
        "en": "**Update gate:** {pct}% of the error goes straight to hₜ₋₁ through the leaky path (z = {z}); "
              "δz = {dz}, and the candidate gets δn = {dn}.",
        "zh": "**更新门：** {pct}% 的误差经由直通路径直接传到 hₜ₋₁（z = {z}）；δz = {dz}，候选值得到 δn = {dn}。",
    },
    "bp.say_reset": {
        "en": "**Reset gate:** δr = {dr} (it let {r} of the recurrent input into the candidate).",
        "zh": "**重置门：** δr = {dr}（它让 {r} 的循环输入进入候选值）。",
    },
    "bp.say_squash": {
        "en": "**tanh:** the error is multiplied by 1 − h² (h = {h}): δa = {da}; a plain RNN has no straight path back.",
        "zh": "**tanh：** 误差乘以 1 − h²（h = {h}）：δa = {da}；普通 RNN 没有直通的反向路径。",
    },
    "bp.say_leave": {
        "en": "**Leaving:** through the recurrent weights, δhₜ₋₁ = {dh_prev} goes on to step t−1.",
        "zh": "**离开：** 通过循环权重，δhₜ₋₁ = {dh_prev} 继续传向第 t−1 步。",
    },
    "bp.say_leave_first": {
        "en": "**Leaving:** step 0 is the first: δh₋₁ = {dh_prev} is the gradient on the initial state h₀.",
        "zh": "**离开：** 第 0 步是第一步：δh₋₁ = {dh_prev} 是初始状态 h₀ 上的梯度。",
    },
    # heatmaps and norms
    "bp.heat_header": {"en": "The error over time: δ over (step, unit)", "zh": "随时间变化的误差：δ 随（步，单元）的分布"},
    "bp.heat_title": {"en": "δ of every unit at every step ({kind})", "zh": "每一步每个单元的 δ（{kind}）"},
    "bp.heat_capped": {"en": "steps {start}–{stop} of {T} around t", "zh": "共 {T} 步中 t 附近的第 {start}–{stop} 步"},
    "bp.heat_h": {"en": "δhₜ", "zh": "δhₜ"},
    "bp.heat_c": {"en": "δcₜ", "zh": "δcₜ"},
    "bp.step_axis": {"en": "step t (token)", "zh": "时间步 t（词元）"},
    "bp.norms_title": {"en": "‖δhₜ‖ and ‖δcₜ‖: RNN, LSTM and GRU", "zh": "‖δhₜ‖ 与 ‖δcₜ‖：RNN、LSTM、GRU"},
    "bp.norms_y": {"en": "norm (log scale)", "zh": "范数（对数坐标）"},
    "bp.norms_caption": {
        "en": r"The three models read the same text, with $E = \sum_j h_{{T-1}}[j]$. Read from right to left: the error starts at the last step and travels back. The RNN's shrinks by a "
              "factor at every step (vanishing); the LSTM's δc rides the forget gates and fades slowly. The fresh "
              "models have the same sizes and seed as yours.",
        "zh": r"三个模型读同一段文本，$E = \sum_j h_{{T-1}}[j]$。从右往左读：误差从最后一步出发向前传播。RNN 的误差每一步都按一定比例缩小（梯度消失）；LSTM 的 δc 沿遗忘门传递，"
              "衰减缓慢。新建的模型与当前模型大小和种子相同。",
    },
    "bp.norm_h": {"en": "‖δh‖ {name}", "zh": "‖δh‖ {name}"},
    "bp.norm_c": {"en": "‖δc‖ {name}", "zh": "‖δc‖ {name}"},
    # shares
    "bp.share_header": {"en": r"$\nabla_W L = \sum_k \nabla_{{W,k}} L$: each step's share",
                         "zh": r"$\nabla_W L = \sum_k \nabla_{{W,k}} L$：每一步的份额"},
    "bp.share_param": {"en": "Parameter", "zh": "参数"},
    "bp.share_title": {"en": "Share of each step k in ∇L: {param}", "zh": "∇L 中每一步 k 的份额：{param}"},
    "bp.share_y": {"en": "‖∇<sub>W,k</sub> L‖", "zh": "‖∇<sub>W,k</sub> L‖"},
    "bp.share_caption": {
        "en": r"Each step $k$ adds $\delta a_k\, x_k^\top$ (or $\delta a_k\, h_{{k-1}}^\top$) to the gradient; the bars "
              r"are the sizes of these pieces, and their sum is the gradient the optimiser uses.",
        "zh": r"每一步 $k$ 向梯度加上 $\delta a_k\, x_k^\top$（或 $\delta a_k\, h_{{k-1}}^\top$）；柱子是这些部分的大小，"
              r"它们的和就是优化器使用的梯度。",
    },
    "bp.chosen_step": {"en": "step t", "zh": "第 t 步"},
    # gradient check
    "bp.check_header": {"en": "Gradient check: BPTT against finite differences", "zh": "梯度检验：BPTT 与有限差分对比"},
    "bp.check_caption": {
        "en": r"For $E = \sum_t (\partial L/\partial h_t)\cdot h_t$ (this loss read off the hidden states), each entry's gradient from the "
              "backward pass against the central difference (E(θ+ε) − E(θ−ε)) / 2ε with ε = 10⁻⁶, on your model and "
              "on fresh ones of the other kinds. A relative error below 10⁻⁶ means the backward pass is right.",
        "zh": r"对 $E = \sum_t (\partial L/\partial h_t)\cdot h_t$（从隐藏状态读出的当前损失），比较反向传播给出的各项梯度与中心差分 "
              "(E(θ+ε) − E(θ−ε)) / 2ε（ε = 10⁻⁶），模型为当前模型和其他类型的新建模型。相对误差低于 10⁻⁶ 说明反向传播正确。",
    },
    "bp.check_param": {"en": "Entries of", "zh": "检验的参数"},
    "bp.check_any": {"en": "every parameter", "zh": "所有参数"},
    "bp.check_new": {"en": "Pick other entries", "zh": "换一批参数项"},
    "bp.check_capped": {
        "en": "The check reads the first {n} of {T} steps (two forward passes per entry).",
        "zh": "检验只读取 {T} 步中的前 {n} 步（每项需要两次前向计算）。",
    },
    "bp.col.model": {"en": "model", "zh": "模型"},
    "bp.col.param": {"en": "parameter", "zh": "参数"},
    "bp.col.index": {"en": "index", "zh": "索引"},
    "bp.col.bptt": {"en": "BPTT", "zh": "BPTT"},
    "bp.col.numerical": {"en": "central difference", "zh": "中心差分"},
    "bp.col.error": {"en": "relative error", "zh": "相对误差"},
    "bp.check_ok": {"en": "Largest relative error {err}: BPTT agrees with the finite differences.",
                    "zh": "最大相对误差 {err}：BPTT 与有限差分一致。"},
    "bp.check_bad": {"en": "Largest relative error {err}: check the entries with large errors (tiny gradients "
                           "lose digits to rounding).",
                     "zh": "最大相对误差 {err}：请查看误差大的项（很小的梯度会因舍入损失精度）。"},
    # model names
    "bp.model.rnn": {"en": "RNN", "zh": "RNN"},
    "bp.model.lstm": {"en": "LSTM", "zh": "LSTM"},
    "bp.model.gru": {"en": "GRU", "zh": "GRU"},
    "bp.yours": {"en": "{name} (yours)", "zh": "{name}（当前）"},
    # connectivity
    "bp.conn_header": {"en": "Connectivity: what the network can still see", "zh": "连通性：网络还能“看到”什么"},
    "bp.conn_intro": {
        "en": r"How strongly does the input at an earlier step $k$ still move the state at step $t$? "
              r"$\|\partial h_t/\partial x_k\|$ for every pair $k \le t$ (after Distill's “Memorization in RNNs”), "
              r"computed exactly through the chain of steps.",
        "zh": r"较早第 $k$ 步的输入还能在多大程度上影响第 $t$ 步的状态？对每一对 $k \le t$ 计算 $\|\partial h_t/\partial x_k\|$"
              "（参考 Distill 的 “Memorization in RNNs”），沿各步链式精确求导。",
    },
    "bp.conn_title": {"en": "‖∂h<sub>t</sub>/∂x<sub>k</sub>‖ (t output, k input)",
                       "zh": "‖∂h<sub>t</sub>/∂x<sub>k</sub>‖（t 输出步，k 输入步）"},
    "bp.conn_capped": {"en": "first {n} of {T} tokens (H = {H})", "zh": "共 {T} 个词元中的前 {n} 个（H = {H}）"},
    "bp.conn_cap_info": {
        "en": "Connectivity costs T²·H² operations, so this section reads the first {n} of {T} tokens at H = {H}.",
        "zh": "连通性的计算量为 T²·H²，因此在 H = {H} 时本部分只读取 {T} 个词元中的前 {n} 个。",
    },
    "bp.conn_t": {"en": "Output step t", "zh": "输出步 t"},
    "bp.conn_text": {"en": "{name}: each token k up to t = {t} shaded by ‖∂hₜ/∂xₖ‖ (darker = more influence)",
                     "zh": "{name}：按 ‖∂hₜ/∂xₖ‖ 给 t = {t} 及之前的每个词元 k 着色（越深影响越大）"},
    "bp.conn_cb": {"en": "‖∂h/∂x‖", "zh": "‖∂h/∂x‖"},
    "bp.conn_caption": {
        "en": "One colour scale for the three panels. The RNN's influence collapses onto the diagonal within a few "
              "steps; the gated networks keep earlier inputs visible for longer.",
        "zh": "三个面板共用一个色标。RNN 的影响在几步之内就缩到对角线附近；带门控的网络能更久地“看到”早先的输入。",
    },
    # error surface
    "bp.surf_header": {"en": "The cliffs of the error surface", "zh": "误差曲面上的悬崖"},
    "bp.surf_intro": {
        "en": r"After Pascanu, Mikolov & Bengio (2013): a one-unit RNN $h_t = \tanh(w\,h_{{t-1}} + 0.5\,x_t + b)$ reads "
              r"a kick $x_0 = 1$ and then 49 zeros; the loss is $L = (h_{{49}} - 0.7)^2$. For $w > 1$ the unit settles "
              r"at +1 or −1 and which one flips as $b$ crosses a curve: the loss jumps there — a cliff. A gradient step "
              r"that lands near it is huge and throws the weights far away; clipping the gradient's norm keeps the "
              r"direction and caps the step.",
        "zh": r"参考 Pascanu、Mikolov 和 Bengio（2013）：单个单元的 RNN $h_t = \tanh(w\,h_{{t-1}} + 0.5\,x_t + b)$ "
              r"先读入 $x_0 = 1$，再读入 49 个 0；损失为 $L = (h_{{49}} - 0.7)^2$。当 $w > 1$ 时单元会停在 +1 或 −1，"
              r"而停在哪一个会在 $b$ 越过某条曲线时翻转：损失在那里突变——这就是悬崖。落在悬崖附近的梯度步极大，"
              r"会把权重甩到很远；裁剪梯度范数保留方向，限制步长。",
    },
    "bp.start_w": {"en": "start w", "zh": "起点 w"},
    "bp.start_b": {"en": "start b", "zh": "起点 b"},
    "bp.lr": {"en": "learning rate", "zh": "学习率"},
    "bp.clip": {"en": "clipping threshold ‖g‖ ≤ c", "zh": "裁剪阈值 ‖g‖ ≤ c"},
    "bp.iterations": {"en": "iterations", "zh": "迭代次数"},
    "bp.surf_title": {"en": "L(w, b) and gradient descent", "zh": "L(w, b) 与梯度下降"},
    "bp.plain": {"en": "plain gradient descent", "zh": "普通梯度下降"},
    "bp.clipped": {"en": "with clipping (c = {c})", "zh": "梯度裁剪（c = {c}）"},
    "bp.start": {"en": "start", "zh": "起点"},
    "bp.loss_curve_title": {"en": "The loss along each path", "zh": "每条路径上的损失"},
    "bp.iteration": {"en": "iteration", "zh": "迭代"},
    "bp.longest_jump": {"en": "longest step, plain", "zh": "最长一步（普通）"},
    "bp.longest_jump_clipped": {"en": "longest step, clipped", "zh": "最长一步（裁剪）"},
    "bp.largest_grad": {"en": "largest ‖g‖ met", "zh": "遇到的最大 ‖g‖"},
    "bp.final_loss": {"en": "final loss, plain", "zh": "最终损失（普通）"},
    "bp.final_loss_clipped": {"en": "final loss, clipped", "zh": "最终损失（裁剪）"},
    "bp.surf_caption": {
        "en": "The sharp edge between the dark and the bright plateau is the cliff. Try the start (1.05, −0.15) with learning rate 0.05: the plain step "
              "meets the cliff and jumps off; the clipped path never moves more than lr·c per step.",
        "zh": "暗色与亮色平台之间的陡峭边缘就是悬崖。试试起点 (1.05, −0.15)、学习率 0.05：普通梯度步碰到悬崖后被甩出；裁剪后的路径每步最多移动 lr·c。",
    },
    "bp.explode_header": {"en": "The LSTM solves vanishing, but exploding gradients remain",
                          "zh": "LSTM 解决了梯度消失，但梯度爆炸依然存在"},
    "bp.explode_title": {"en": "LSTM: ‖∇θ E‖ against the recurrent scale", "zh": "LSTM：‖∇θ E‖ 随循环缩放的变化"},
    "bp.explode_x": {"en": "recurrent scale s (W<sub>hh</sub> → s·W<sub>hh</sub>)",
                      "zh": "循环权重缩放 s（W<sub>hh</sub> → s·W<sub>hh</sub>）"},
    "bp.explode_y": {"en": "gradient norm (log scale)", "zh": "梯度范数（对数坐标）"},
    "bp.explode_norm": {"en": "‖∇θ E‖", "zh": "‖∇θ E‖"},
    "bp.explode_clipped": {"en": "after clipping: min(‖∇θ E‖, c)", "zh": "裁剪后：min(‖∇θ E‖, c)"},
    "bp.explode_threshold": {"en": "c = {c}", "zh": "c = {c}"},
    "bp.explode_caption": {
        "en": r"$E = \sum_j h_{{T-1}}[j]$, $W_{{hh}} \to s\,W_{{hh}}$. The LSTM ({which}) reads the first {n} tokens of your text. With large recurrent weights its gradient "
              "norm grows by orders of magnitude; clipping at c caps every update.",
        "zh": r"$E = \sum_j h_{{T-1}}[j]$，$W_{{hh}} \to s\,W_{{hh}}$。LSTM（{which}）读取文本的前 {n} 个词元。循环权重较大时，它的梯度范数会增长若干个数量级；在 c 处裁剪限制每一次更新。",
    },
    "bp.explode_yours": {"en": "your model", "zh": "当前模型"},
    "bp.explode_fresh": {"en": "a fresh one with your sizes and seed", "zh": "与当前模型同大小、同种子的新建模型"},
}
