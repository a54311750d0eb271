"""Strings of the Guided lesson page (lesson.<stop>.title / .body / .live for each stop of lstm_viz.ui.lesson).

Texts go to st.markdown: math in $...$ (KaTeX), literal braces doubled for str.format.
"""

STRINGS = {
    "nav.lesson": {"en": "Guided lesson", "zh": "导学课程"},
    "lesson.title": {"en": "Guided lesson: from RNN to LSTM", "zh": "导学：从 RNN 到 LSTM"},
    "lesson.intro": {
        "en": "Eleven short stops, from the simple RNN's short memory to what LSTMs are used for. Every number and "
              "chart is computed live from a real network; every stop has its own link, and a button opens it in the "
              "full page with the same settings.",
        "zh": "十一个短小的站点，从简单 RNN 短暂的记忆讲到 LSTM 的实际用途。每个数字和图表都由真实网络实时计算；"
              "每一站都有自己的链接，还可以一键在完整页面中以相同设置打开。",
    },
    "lesson.pick": {"en": "Jump to stop", "zh": "跳到某一站"},
    "lesson.progress": {"en": "Stop {k} of {n}", "zh": "第 {k} 站，共 {n} 站"},
    "lesson.prev": {"en": "Previous", "zh": "上一站"},
    "lesson.next": {"en": "Next", "zh": "下一站"},
    "lesson.open": {"en": "Open this in {page}", "zh": "在「{page}」页面中打开"},
    "lesson.stop_bad": {
        "en": "The link's stop is not a whole number, so the lesson starts at stop 1 (the stops are 1 to {n}).",
        "zh": "链接中的站号不是整数，因此从第 1 站开始（站号为 1 到 {n}）。",
    },
    "lesson.stop_range": {
        "en": "The link names a stop that does not exist, so the lesson starts at stop 1 (the stops are 1 to {n}).",
        "zh": "链接中的站号不存在，因此从第 1 站开始（站号为 1 到 {n}）。",
    },
    "lesson.failed": {"en": "This stop could not be computed: {reason}", "zh": "本站无法计算：{reason}"},
    "lesson.text": {"en": "Input text: {text}", "zh": "输入文本：{text}"},
    "lesson.unit": {"en": "unit", "zh": "单元"},
    "lesson.value": {"en": "value", "zh": "数值"},
    "lesson.model.rnn": {"en": "simple RNN", "zh": "简单 RNN"},
    "lesson.model.lstm": {"en": "LSTM", "zh": "LSTM"},

    # 1 -----------------------------------------------------------------------------------------------------------
    "lesson.rnn.title": {"en": "A simple RNN and its short memory", "zh": "简单 RNN 与它短暂的记忆"},
    "lesson.rnn.body": {
        "en": "A simple recurrent network reads a sequence one token at a time and carries a single hidden state "
              "$h_t$: each step mixes the new input with the previous state through one weight matrix and a tanh. "
              "That state is the network's only memory, and every step partly overwrites it, so the influence of an "
              "early token fades as more tokens arrive.",
        "zh": "简单循环神经网络逐个读取序列中的词元，只携带一个隐藏状态 $h_t$：每一步都用同一个权重矩阵和 tanh，"
              "把新输入与上一时刻的状态混合起来。这个状态是网络唯一的记忆，而且每一步都会被部分改写，"
              "所以越早读入的词元，影响消退得越厉害。",
    },
    "lesson.rnn.live": {
        "en": "Here a randomly initialised RNN with {H} hidden units reads the input text above. How much its "
              "state still depends on the first character, {first}, is measured by "
              "$\\lVert \\partial h_t / \\partial x_0 \\rVert$: {a} at t = 0, {b} at t = {t}, and only {c} at the "
              "last step, t = {T}.",
        "zh": "这里一个随机初始化、有 {H} 个隐藏单元的 RNN 读取上面的输入文本。用 "
              "$\\lVert \\partial h_t / \\partial x_0 \\rVert$ 衡量它的状态对第一个字符 {first} 还有多少依赖："
              "t = 0 时为 {a}，t = {t} 时为 {b}，到最后一步 t = {T} 只剩 {c}。",
    },
    "lesson.rnn.curve": {"en": "simple RNN", "zh": "简单 RNN"},
    "lesson.rnn.chart": {"en": "How much hₜ still depends on the first input x₀", "zh": "hₜ 对第一个输入 x₀ 的依赖"},
    "lesson.rnn.x": {"en": "time step t", "zh": "时间步 t"},
    "lesson.rnn.y": {"en": "‖∂hₜ/∂x₀‖ (log scale)", "zh": "‖∂hₜ/∂x₀‖（对数坐标）"},

    # 2 -----------------------------------------------------------------------------------------------------------
    "lesson.vanishing.title": {"en": "The vanishing gradient", "zh": "梯度消失"},
    "lesson.vanishing.body": {
        "en": "Learning needs the gradient of a late state with respect to early ones. By the chain rule it is a "
              "product of one Jacobian per step, $\\partial h_j / \\partial h_{{j-1}} = "
              "\\operatorname{{diag}}(\\varphi'(a_j))\\,W_{{hh}}$, so its norm is at most the product of the "
              "per-step factors below. While those factors stay under 1 the product shrinks exponentially with the "
              "distance, and the early steps receive almost no learning signal.",
        "zh": "学习需要后面时刻的状态对早先状态的梯度。按链式法则，它是每一步雅可比矩阵 "
              "$\\partial h_j / \\partial h_{{j-1}} = \\operatorname{{diag}}(\\varphi'(a_j))\\,W_{{hh}}$ 的连乘，"
              "所以它的范数不超过下式中各步因子的乘积。只要这些因子小于 1，乘积就随距离指数衰减，"
              "早先的时间步几乎得不到学习信号。",
    },
    "lesson.vanishing.live": {
        "en": "Like for like: a simple RNN and an LSTM with the same sizes ({H} units), the same seed and the same "
              "text. The RNN's recurrent matrix has $\\sigma_{{\\max}}(W_{{hh}})$ = {sigma}, so with γ = 1 (tanh) "
              "the bound after d = {d} steps is {bound}. It is only an upper limit: every step also multiplies by "
              "tanh′(a) = 1 − h², below 1 and close to 0 for saturated units, and the steps' Jacobians do not line "
              "up, so the measured norm is far smaller. After {d} steps the RNN's gradient norm is {rnn}, the "
              "LSTM's {lstm}.",
        "zh": "同等条件对比：简单 RNN 与 LSTM 的尺寸相同（{H} 个单元），随机种子相同，读取的文本也相同。"
              "RNN 循环矩阵的 $\\sigma_{{\\max}}(W_{{hh}})$ = {sigma}，取 γ = 1（tanh）时，d = {d} 步后的上界为 {bound}。"
              "这只是一个上限：每一步还要乘以 tanh′(a) = 1 − h²，它小于 1，单元饱和时更接近 0；而且各步的雅可比矩阵方向并不一致，所以实际测得的范数要小得多。"
              "{d} 步之后，RNN 的梯度范数为 {rnn}，LSTM 为 {lstm}。",
    },
    "lesson.vanishing.bound": {"en": "RNN bound (γ σ<sub>max</sub>)<sup>d</sup>, γ = 1",
                               "zh": "RNN 上界 (γ σ<sub>max</sub>)<sup>d</sup>，γ = 1"},
    "lesson.vanishing.chart": {"en": "‖∂h<sub>T</sub>/∂h<sub>k</sub>‖ against the distance T − k",
                               "zh": "‖∂h<sub>T</sub>/∂h<sub>k</sub>‖ 随距离 T − k 的变化"},
    "lesson.vanishing.x": {"en": "distance T − k (steps)", "zh": "距离 T − k（步）"},
    "lesson.vanishing.y": {"en": "‖∂h<sub>T</sub>/∂h<sub>k</sub>‖<sub>2</sub> (log scale)",
                           "zh": "‖∂h<sub>T</sub>/∂h<sub>k</sub>‖<sub>2</sub>（对数坐标）"},

    # 3 -----------------------------------------------------------------------------------------------------------
    "lesson.belt.title": {"en": "The conveyor belt: the cell state", "zh": "传送带：细胞状态"},
    "lesson.belt.body": {
        "en": "The LSTM adds a second state, the cell state $c_t$, which runs along the sequence like a conveyor "
              "belt. From one step to the next it is only scaled by the forget gate and added to — no weight matrix, "
              "no squashing — so along the belt the gradient is multiplied by $f_t$ alone, and where $f \\approx 1$ a "
              "value can ride almost unchanged for many steps.",
        "zh": "LSTM 增加了第二个状态——细胞状态 $c_t$，它像传送带一样沿着序列向前运行。从一步到下一步，"
              "它只被遗忘门按比例缩放，再加上新写入的内容，中间既没有权重矩阵，也没有压缩函数；"
              "因此沿着传送带，梯度每一步只乘以 $f_t$，只要 $f \\approx 1$，一个值就能几乎原样保存许多步。",
    },
    "lesson.belt.live": {
        "en": "The trained code model (python-code, {H} units) reads a small Python function. Unit {unit}'s forget "
              "gate never drops below {fmin} after the first of its {T} characters, so of what its belt held at the "
              "first character, {first}, a share Π f = {p} survives to the end; averaged over all units, only {mean} "
              "does.",
        "zh": "训练好的代码模型（python-code，{H} 个单元）读取一个小的 Python 函数。在全部 {T} 个字符中，"
              "单元 {unit} 的遗忘门从第二个字符起始终不低于 {fmin}，因此它的传送带在第一个字符 {first} 处承载的内容，"
              "有 Π f = {p} 的比例一直保留到最后；而所有单元平均只保留 {mean}。",
    },
    "lesson.belt.chart": {"en": "Π f along the belt: the share of cₖ that reaches the last step",
                          "zh": "传送带上的 Π f：cₖ 能到达最后一步的比例"},
    "lesson.belt.x": {"en": "step k", "zh": "时间步 k"},
    "lesson.belt.y": {"en": "Π f from k+1 to the end (log scale)", "zh": "从 k+1 到末尾的 Π f（对数坐标）"},
    "lesson.belt.mean": {"en": "mean over all units", "zh": "所有单元的平均"},

    # 4-6 ---------------------------------------------------------------------------------------------------------
    "lesson.forget.title": {"en": "The forget gate", "zh": "遗忘门"},
    "lesson.forget.body": {
        "en": "The forget gate decides, unit by unit, how much of the old cell state to keep: $f_t$ is a sigmoid of "
              "the current input and the previous hidden state, between 0 (erase) and 1 (keep). Because it reads the "
              "input, the network can learn to hold a value for as long as it matters and to clear it at the right "
              "moment — when a string closes or a line ends, for example.",
        "zh": "遗忘门逐个单元地决定保留多少旧的细胞状态：$f_t$ 由当前输入和上一隐藏状态经 sigmoid 得到，"
              "取值在 0（清除）和 1（保留）之间。因为它读取输入，网络可以学会在需要时一直保存某个值，"
              "并在恰当的时刻把它清掉，比如字符串结束或一行代码结束的时候。",
    },
    "lesson.forget.live": {
        "en": "At step {t}, the character {token}: unit {ua} arrives with $c_{{t-1}}$ = {c_preva} and keeps it with "
              "f = {fa}; unit {ub} arrives with {c_prevb}, but its forget gate is {fb}, so it keeps only that share "
              "of its memory. The heatmaps show f and c of these two and six more units over the whole function.",
        "zh": "第 {t} 步，字符 {token}：单元 {ua} 带着 $c_{{t-1}}$ = {c_preva} 进入，遗忘门 f = {fa}，按这个比例保留下来；"
              "单元 {ub} 带着 {c_prevb} 进入，但遗忘门只有 {fb}，记忆只剩下这么一部分。"
              "热力图展示了这两个单元以及另外六个单元在整个函数上的 f 和 c。",
    },
    "lesson.input.title": {"en": "The input gate and the candidate", "zh": "输入门与候选值"},
    "lesson.input.body": {
        "en": "What is written onto the belt comes in two parts. The candidate $g_t$ (a tanh, between −1 and 1) "
              "proposes new content from the current input and the previous hidden state; the input gate $i_t$ "
              "(a sigmoid) decides how much of that proposal is actually added. Their product $i_t \\odot g_t$ is "
              "the write.",
        "zh": "写到传送带上的内容分两部分：候选值 $g_t$（tanh，取值在 −1 到 1 之间）根据当前输入和上一隐藏状态提出新内容；"
              "输入门 $i_t$（sigmoid）决定这份提议中有多少真正被加进去。二者的乘积 $i_t \\odot g_t$ 就是写入量。",
    },
    "lesson.input.live": {
        "en": "At step {t}, the character {token}: unit {ua} is offered g = {ga} and lets it in with i = {ia}, "
              "writing i·g = {iga}; unit {ub} is offered g = {gb}, but its input gate is only {ib}, so it writes "
              "just {igb}.",
        "zh": "第 {t} 步，字符 {token}：单元 {ua} 的候选值 g = {ga}，输入门 i = {ia} 让它进入，写入 i·g = {iga}；"
              "单元 {ub} 的候选值为 {gb}，但输入门只有 {ib}，只写入了 {igb}。",
    },
    "lesson.output.title": {"en": "The output gate", "zh": "输出门"},
    "lesson.output.body": {
        "en": "The cell state is the memory; the hidden state $h_t$ is what the rest of the network sees, both at the "
              "next step and in the output layer. The output gate $o_t$ chooses, unit by unit, how much of "
              "$\\tanh(c_t)$ to show, so a unit can hold a memory for a long time without letting it sway every "
              "prediction.",
        "zh": "细胞状态是记忆，而隐藏状态 $h_t$ 才是网络其余部分看得到的东西：下一步要用它，输出层也要读它。"
              "输出门 $o_t$ 逐个单元决定把多少 $\\tanh(c_t)$ 展示出来，于是一个单元可以长时间保存记忆，"
              "却不必让它左右每一次预测。",
    },
    "lesson.output.live": {
        "en": "At step {t}, the character {token}: unit {ua} has c = {ca} and shows it with o = {oa}, so h = {ha}. "
              "Unit {ub} holds c = {cb}, but with o = {ob} its output is only h = {hb}: the memory stays on the belt, "
              "out of sight.",
        "zh": "第 {t} 步，字符 {token}：单元 {ua} 的 c = {ca}，输出门 o = {oa}，于是 h = {ha}；"
              "单元 {ub} 保存着 c = {cb}，但 o = {ob}，输出只有 h = {hb}——记忆留在传送带上，没有显露出来。",
    },
    "lesson.panel.f": {"en": "forget gate f", "zh": "遗忘门 f"},
    "lesson.panel.c": {"en": "cell state c", "zh": "细胞状态 c"},
    "lesson.panel.i": {"en": "input gate i", "zh": "输入门 i"},
    "lesson.panel.g": {"en": "candidate g", "zh": "候选值 g"},
    "lesson.panel.o": {"en": "output gate o", "zh": "输出门 o"},
    "lesson.panel.h": {"en": "hidden state h", "zh": "隐藏状态 h"},
    "lesson.gates.chart": {"en": "python-code over the whole function", "zh": "python-code 读取整个函数"},
    "lesson.gates.caption": {"en": "The stop looks at step {t}. Units shown, top to bottom: {units}.",
                             "zh": "本站关注第 {t} 步。图中单元（自上而下）：{units}。"},

    # 7 -----------------------------------------------------------------------------------------------------------
    "lesson.update.title": {"en": "The cell update, all together", "zh": "完整的细胞更新"},
    "lesson.update.body": {
        "en": "One LSTM step puts the pieces together: forget part of the old memory, add the gated candidate, then "
              "show part of the result, $c_t = f_t \\odot c_{{t-1}} + i_t \\odot g_t$ and "
              "$h_t = o_t \\odot \\tanh(c_t)$. Below, one unit's real numbers are filled in.",
        "zh": "一个 LSTM 时间步把前面几部分组合起来：先遗忘一部分旧记忆，再加上经过门控的候选值，最后把结果的一部分展示出来，"
              "即 $c_t = f_t \\odot c_{{t-1}} + i_t \\odot g_t$，$h_t = o_t \\odot \\tanh(c_t)$。下面代入了一个单元的真实数值。",
    },
    "lesson.update.yours": {
        "en": "This stop shows the network and the text chosen in the sidebar: move the step or pick another unit.",
        "zh": "本站使用侧边栏中选定的网络和文本：可以移动时间步，或换一个单元看看。",
    },
    "lesson.update.first_step": {
        "en": "At t = 0 there is no old memory yet (c₋₁ = 0): move the step to watch the forget gate at work.",
        "zh": "t = 0 时还没有旧记忆（c₋₁ = 0）：把时间步往后移，就能看到遗忘门在起作用。",
    },
    "lesson.update.fallback": {
        "en": "The sidebar's network is not an LSTM, or its text cannot be read, so this stop shows the shipped code "
              "model on a small Python function.",
        "zh": "侧边栏中的网络不是 LSTM，或者其文本无法读取，因此本站改用内置的代码模型读取一个小的 Python 函数。",
    },
    "lesson.update.live": {
        "en": "Step {t}, the token {token}, unit {unit}: the unit keeps f = {f} of $c_{{t-1}}$ = {c_prev}, adds "
              "i·g with i = {i} and g = {g}, and arrives at c = {c}; the output gate o = {o} turns that into h = {h}.",
        "zh": "第 {t} 步，词元 {token}，单元 {unit}：它保留 $c_{{t-1}}$ = {c_prev} 的 f = {f}，加上 i·g（i = {i}，"
              "g = {g}），得到 c = {c}；输出门 o = {o} 再把它变成 h = {h}。",
    },

    # 8 -----------------------------------------------------------------------------------------------------------
    "lesson.gru.title": {"en": "The GRU", "zh": "GRU：门控循环单元"},
    "lesson.gru.body": {
        "en": "The gated recurrent unit keeps the LSTM's key idea, a gated path along which the state is carried "
              "forward, with fewer parts: there is no separate cell state, and one update gate $z_t$ interpolates "
              "between the old state and a new candidate, $h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{{t-1}}$. "
              "A reset gate $r_t$ decides how much of the old state the candidate may read.",
        "zh": "门控循环单元保留了 LSTM 的核心思想——一条由门控制、把状态向前传递的通路——但部件更少：它没有单独的细胞状态，"
              "由一个更新门 $z_t$ 在旧状态和新候选值之间插值，$h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{{t-1}}$；"
              "重置门 $r_t$ 决定候选值能读取多少旧状态。",
    },
    "lesson.gru.live": {
        "en": "A randomly initialised GRU with {H} units (the sizes and seed of stop 2's LSTM), at step {t}, the "
              "character {token}: unit {unit} keeps z = {z} of its old state {h_prev} and takes 1 − z = "
              "{one_minus_z} of the candidate n = {n} (its reset gate is r = {r}), giving h = {h}. With three "
              "weight blocks instead of four it has {gru} parameters against the LSTM's {lstm}.",
        "zh": "一个随机初始化、有 {H} 个单元的 GRU（尺寸和随机种子与第 2 站的 LSTM 相同），第 {t} 步，字符 {token}："
              "单元 {unit} 保留旧状态 {h_prev} 的 z = {z}，再取候选值 n = {n} 的 1 − z = {one_minus_z}（重置门 r = {r}），"
              "得到 h = {h}。它只有三组权重而不是四组，参数为 {gru} 个，LSTM 则是 {lstm} 个。",
    },
    "lesson.gru.chart": {"en": "GRU at step {t}: the vectors of one step", "zh": "第 {t} 步的 GRU：一步中的各个向量"},

    # 9 -----------------------------------------------------------------------------------------------------------
    "lesson.family.title": {"en": "Variants: stacked, bidirectional, peephole", "zh": "变体：堆叠、双向、窥视孔"},
    "lesson.family.body": {
        "en": "Cells combine into larger networks. Stacking feeds each layer's hidden states to the next layer as its "
              "input, so higher layers can build on what lower ones found; a bidirectional layer runs a second cell "
              "backwards from the end of the text and concatenates both states, so every position sees its left and "
              "its right context; peephole connections let the gates read the cell state itself "
              "($w_{{cf}} \\odot c_{{t-1}}$ and so on).",
        "zh": "单元可以组合成更大的网络。堆叠时，每一层的隐藏状态作为下一层的输入，高层可以在低层发现的特征之上继续加工；"
              "双向层另用一个单元从文本末尾倒着读，再把两个方向的状态拼接起来，于是每个位置都能同时看到左边和右边的上下文；"
              "窥视孔连接让门直接读取细胞状态本身（如 $w_{{cf}} \\odot c_{{t-1}}$）。",
    },
    "lesson.family.live": {
        "en": "Here: a random LSTM with {L} layers, {D} directions and peepholes, {H} units per cell, {params} "
              "parameters in all. Each position's output joins both directions of the top layer, {out} numbers; below, "
              "the top layer at step {t}, the character {token}.",
        "zh": "这里是一个随机初始化的 LSTM：{L} 层、{D} 个方向、带窥视孔，每个单元 {H} 维，共 {params} 个参数。"
              "每个位置的输出把顶层两个方向拼接在一起，共 {out} 个数；下图是顶层在第 {t} 步（字符 {token}）的状态。",
    },
    "lesson.family.row": {"en": "layer {layer} {direction}", "zh": "第 {layer} 层 {direction}"},
    "lesson.family.chart": {"en": "Mean |h| of every layer and direction", "zh": "每一层、每个方向的平均 |h|"},
    "lesson.family.both": {"en": "Top layer, both directions, at step {t}", "zh": "顶层两个方向在第 {t} 步的状态"},

    # 10 ----------------------------------------------------------------------------------------------------------
    "lesson.uses.title": {"en": "What LSTMs are used for", "zh": "LSTM 的用途"},
    "lesson.uses.body": {
        "en": "The same recurrent cell serves different shapes of input and output. Many-to-one: read a whole "
              "sequence and make one decision from the last state, as a sentiment classifier does. One-to-many: "
              "start from a prompt and generate, feeding each sampled token back in as the next input, as a language "
              "model does.",
        "zh": "同一种循环单元可以对应不同的输入输出形式。多对一：读完整个序列，根据最后的状态作出一个判断，情感分类就是这样。"
              "一对多：从一段提示开始生成，每采样出一个词元，就把它作为下一步的输入送回网络，语言模型就是这样。",
    },
    "lesson.uses.many_to_one": {"en": "Many-to-one: sentiment", "zh": "多对一：情感分类"},
    "lesson.uses.one_to_many": {"en": "One-to-many: generation", "zh": "一对多：文本生成"},
    "lesson.uses.missing": {"en": "This shipped model is not installed.", "zh": "这个内置模型没有安装。"},
    "lesson.uses.sentiment": {
        "en": "The shipped classifier {name} reads “{review}” ({T} tokens) and ends at P(positive) = {p}. The curve "
              "is the verdict it would give if the review stopped after each token.",
        "zh": "内置分类器 {name} 读取“{review}”（{T} 个词元），最终给出 P(正面) = {p}。曲线表示如果评论在某个词元处结束，"
              "它会给出的判断。",
    },
    "lesson.uses.generate": {
        "en": "The shipped language model {name} continues the prompt “{prime}” with {n} characters (the Generate "
              "page's defaults): each character is drawn from the model's prediction and then read back in.",
        "zh": "内置语言模型 {name} 接着提示“{prime}”写出 {n} 个字符（使用「文本生成」页面的默认设置）："
              "每个字符都从模型的预测中抽样得到，再读回网络作为下一步的输入。",
    },
    "lesson.uses.review": {"en": "review", "zh": "评论"},
    "lesson.uses.curve": {"en": "P(positive) after each token", "zh": "每个词元之后的 P(正面)"},
    "lesson.uses.prob": {"en": "P(positive)", "zh": "P(正面)"},

    # 11 ----------------------------------------------------------------------------------------------------------
    "lesson.bptt.title": {"en": "How it learns: backpropagation through time",
                          "zh": "如何学习：随时间反向传播"},
    "lesson.bptt.body": {
        "en": "Training unrolls the network over the sequence and runs the chain rule backwards, from the loss to the "
              "first step: each state's error signal δ is passed one step back through the same Jacobians as in "
              "stop 2, and every step adds its share to the weight gradients. In an LSTM the error also travels back "
              "along the belt, where each step multiplies it by the forget gate.",
        "zh": "训练时把网络沿序列展开，从损失出发反向运用链式法则，一直传回第一步：每个状态的误差信号 δ "
              "经过与第 2 站相同的雅可比矩阵向前一步传递，每一步都为权重梯度贡献自己的一份。在 LSTM 中，"
              "误差还会沿着传送带反向传播，每经过一步就乘以该步的遗忘门。",
    },
    "lesson.bptt.live": {
        "en": "The loss is E = Σ h at the last step, t = {T}; the networks and the text are those of stop 2. The error "
              "that reaches step 0 has ‖δh₀‖ = {rnn} in the simple RNN and {lstm} in the LSTM, whose belt still "
              "carries ‖δc₀‖ = {c}.",
        "zh": "损失取最后一步 t = {T} 的 E = Σ h；网络和文本与第 2 站相同。传回第 0 步的误差，"
              "在简单 RNN 中为 ‖δh₀‖ = {rnn}，在 LSTM 中为 {lstm}，而 LSTM 的传送带上仍有 ‖δc₀‖ = {c}。",
    },
    "lesson.bptt.chart": {"en": "The error flowing back from the last step", "zh": "从最后一步反向流动的误差"},
    "lesson.bptt.y": {"en": "‖δ‖ (log scale)", "zh": "‖δ‖（对数坐标）"},
}
