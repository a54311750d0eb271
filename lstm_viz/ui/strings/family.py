"""Strings of the LSTM family (stacked, bidirectional and peephole networks) on every page."""

STRINGS = {
    # sidebar
    "sidebar.layers": {"en": "Layers", "zh": "层数"},
    "sidebar.layers_help": {
        "en": "Stacked layers: layer l > 0 reads the hidden states of the layer below (as torch.nn.LSTM's num_layers).",
        "zh": "堆叠的层数：第 l > 0 层读取下一层的隐藏状态（同 torch.nn.LSTM 的 num_layers）。",
    },
    "sidebar.bidir": {"en": "Bidirectional", "zh": "双向"},
    "sidebar.bidir_help": {
        "en": "A second network reads the text from the end; both hidden states at step t are concatenated.",
        "zh": "第二个网络从文本末尾往前读；两个方向在第 t 步的隐藏状态拼接在一起。",
    },
    "sidebar.peep": {"en": "Peephole", "zh": "窥视孔"},
    "sidebar.peep_help": {
        "en": "Peephole connections (Gers & Schmidhuber 2000): the gates also read the cell state, "
              "i and f read the previous cell state $c_{{t-1}}$, o reads $c_t$.",
        "zh": "窥视孔连接（Gers & Schmidhuber 2000）：门也读取细胞状态，i 与 f 读上一步的细胞状态 $c_{{t-1}}$，o 读 $c_t$。",
    },
    "family.shape_layers": {"en": "{layers} layers", "zh": "{layers} 层"},
    "family.shape_bidir": {"en": "bidirectional", "zh": "双向"},
    "family.shape_peep": {"en": "peephole", "zh": "窥视孔"},
    # the shared layer / direction picker
    "family.layer": {"en": "Layer", "zh": "层"},
    "family.layer_help": {
        "en": "Which layer of the stack this page shows (0 reads the tokens; each higher layer reads the one below).",
        "zh": "本页显示堆叠中的哪一层（第 0 层读取词元；更高的层读取下面一层）。",
    },
    "family.layer_bottom": {"en": "{layer} (reads the tokens)", "zh": "{layer}（读取词元）"},
    "family.layer_top": {"en": "{layer} (top)", "zh": "{layer}（顶层）"},
    "family.direction": {"en": "Direction", "zh": "方向"},
    "family.dir.0": {"en": "forward →", "zh": "正向 →"},
    "family.dir.1": {"en": "← reverse", "zh": "← 反向"},
    "family.dir_word.0": {"en": "forward", "zh": "正向"},
    "family.dir_word.1": {"en": "reverse", "zh": "反向"},
    "family.direction_help": {
        "en": "forward reads the text from the first token, reverse from the last one.",
        "zh": "正向从第一个词元开始读，反向从最后一个词元开始读。",
    },
    "family.reverse_note": {
        "en": "The reverse cell reads the text from the end: at sentence position t it has read tokens "
              "t … T−1, and its previous step was position t+1. Positions and tokens are shown in sentence order.",
        "zh": "反向单元从文本末尾读起：在句中位置 t 时它已读过词元 t … T−1，它的上一步是位置 t+1。"
              "位置与词元均按句子顺序显示。",
    },
    # step page
    "step.cell_of": {"en": "layer {layer}, {direction}", "zh": "第 {layer} 层，{direction}"},
    "step.peep_label": {"en": "peephole", "zh": "窥视孔"},
    "step.tower_title": {"en": "The stack at position t", "zh": "位置 t 处的堆叠"},
    "step.tower_input_x": {"en": "tokens xₜ", "zh": "词元 xₜ"},
    "step.tower_output": {"en": "output", "zh": "输出"},
    "step.tower_caption_0": {
        "en": "Drawn: layer {layer} ({direction}). Its input is the token's embedding xₜ (size {inputs}).",
        "zh": "当前绘制：第 {layer} 层（{direction}）。它的输入是词元的嵌入 xₜ（维度 {inputs}）。",
    },
    "step.tower_caption_l": {
        "en": "Drawn: layer {layer} ({direction}). Its input is the output of layer {below} at the same position "
              "(size {inputs} = {D}·H).",
        "zh": "当前绘制：第 {layer} 层（{direction}）。它的输入是第 {below} 层在同一位置的输出（维度 {inputs} = {D}·H）。",
    },
    "step.bidir_title": {"en": "Both directions at position t = {t}, layer {layer}",
                         "zh": "位置 t = {t} 处的两个方向，第 {layer} 层"},
    "step.bidir_caption": {
        "en": "The forward cell has read tokens 0 … t, the reverse cell tokens t … T−1; the layer's output at t is "
              "their concatenation [h→ | h←] (size 2·H = {size}), so every output sees the whole text.",
        "zh": "正向单元已读过词元 0 … t，反向单元已读过 t … T−1；该层在 t 处的输出是二者的拼接 [h→ | h←]"
              "（维度 2·H = {size}），因此每个输出都看到了整段文本。",
    },
    "step.bidir_fwd": {"en": "h→ forward", "zh": "h→ 正向"},
    "step.bidir_rev": {"en": "h← reverse", "zh": "h← 反向"},
    "step.bidir_out": {"en": "output [h→ | h←]", "zh": "输出 [h→ | h←]"},
    "step.peep_equations_note": {
        "en": "Peephole LSTM: the input and forget gates also read the previous cell state cₜ₋₁, the output gate reads cₜ "
              "(diagonal weights w_ci, w_cf, w_co).",
        "zh": "窥视孔 LSTM：输入门和遗忘门还读取上一步的细胞状态 cₜ₋₁，输出门读取 cₜ（对角权重 w_ci、w_cf、w_co）。",
    },
    # heatmaps
    "heatmaps.overview_title": {"en": "Every layer's h at a glance", "zh": "各层 h 一览"},
    "heatmaps.overview_caption": {
        "en": "One row per layer and direction: the mean |h| over the units at every position "
              "(the selected cell is marked ▶).",
        "zh": "每行是一层的一个方向：各位置上所有单元 |h| 的平均（选中的单元标为 ▶）。",
    },
    "heatmaps.overview_row": {"en": "layer {layer} {direction}", "zh": "第 {layer} 层 {direction}"},
    "heatmaps.overview_value": {"en": "mean |h|", "zh": "平均 |h|"},
    # vanishing gradients
    "grad.layers_header": {"en": "Through the stack: one curve per layer", "zh": "穿过堆叠：每层一条曲线"},
    "grad.layers_title": {
        "en": "‖∂y / ∂h⁽ˡ⁾ₜ‖, y = the top layer's last {direction} state",
        "zh": "‖∂y / ∂h⁽ˡ⁾ₜ‖，y = 顶层最后的{direction}状态",
    },
    "grad.layers_x": {"en": "distance from y (steps)", "zh": "与 y 的距离（步）"},
    "grad.layers_y": {"en": "Frobenius norm (log)", "zh": "Frobenius 范数（对数）"},
    "grad.layers_curve": {"en": "layer {layer} {direction}", "zh": "第 {layer} 层 {direction}"},
    "grad.layers_caption": {
        "en": "How strongly the top layer's final state depends on each layer's state k steps earlier. A lower "
              "layer's path to y also crosses every layer above it, so its curve starts lower and, for each step, "
              "adds the factors of every layer it passes. The $\\sigma_{{\\max}}$ bound above applies to one RNN layer only.",
        "zh": "顶层最终状态对每一层在 k 步之前状态的依赖程度。较低层到 y 的路径还要穿过其上的每一层，"
              "因此它的曲线起点更低，每一步都要乘上所经过各层的因子。上方的 $\\sigma_{{\\max}}$ 界只适用于单层 RNN。",
    },
    "grad.layers_capped": {
        "en": "Only the last {shown} of {total} positions are used for the per-layer curves (keeps the page fast).",
        "zh": "逐层曲线只使用 {total} 个位置中的最后 {shown} 个（保证页面流畅）。",
    },
    "grad.layers_too_big": {
        "en": "The per-layer curves are left out for this network: with H = {H} and {cells} cells they would take "
              "too long here (each needs a backward pass per output unit). A smaller hidden size (about 64 or less "
              "for two cells) shows them.",
        "zh": "该网络不显示逐层曲线：H = {H}、共 {cells} 个单元时计算太慢（每个输出单元都需要一次反向传播）。"
              "较小的隐藏维度（两个单元时约 64 以内）即可显示。",
    },
    "grad.cell_input_note": {
        "en": "The studies below are of layer {layer} ({direction}), fed with its own input (size {inputs}); "
              "the compared kinds get the same input.",
        "zh": "下面的分析针对第 {layer} 层（{direction}），输入为它自己的输入（维度 {inputs}）；对比的其他模型使用相同输入。",
    },
    # theory
    "theory.family_header": {"en": "Stacked, bidirectional and peephole networks",
                             "zh": "堆叠、双向与窥视孔网络"},
    "theory.stacked_title": {"en": "Stacked (3 layers) unrolled over time", "zh": "堆叠网络（3 层）按时间展开"},
    "theory.bidir_title": {"en": "Bidirectional unrolled over time", "zh": "双向网络按时间展开"},
    "theory.stacked_caption": {
        "en": "The same cell is applied at every step (arrows to the right); different cells are piled vertically: "
              "layer l reads layer l−1's h at the same step.",
        "zh": "同一个单元在每一步重复使用（向右的箭头）；不同的单元竖直堆叠：第 l 层读取第 l−1 层同一步的 h。",
    },
    "theory.bidir_caption": {
        "en": "A forward network reads left to right, a reverse network right to left; the output at t is "
              "[h→ₜ | h←ₜ], so it sees the whole sequence.",
        "zh": "正向网络从左到右读，反向网络从右到左读；t 处的输出是 [h→ₜ | h←ₜ]，因此看得到整个序列。",
    },
    "theory.family_counts": {"en": "Parameter counts", "zh": "参数个数"},
    "theory.family_counts_body": {
        "en": "G gate blocks (LSTM 4, GRU 3, RNN 1), input size I, hidden size H, L layers, D directions "
              "(2 when bidirectional). Layer 0 reads I inputs, every layer above reads D·H.",
        "zh": "G 为门块数（LSTM 4、GRU 3、RNN 1），输入维度 I，隐藏维度 H，L 层，D 个方向（双向时为 2）。"
              "第 0 层读取 I 维输入，其上各层读取 D·H 维。",
    },
    "theory.family_current": {
        "en": "The current network: {kind}, I = {I}, H = {H}, L = {L}, D = {D}{peep}: {formula} = {total:,} "
              "parameters (the engine counts {engine:,}).",
        "zh": "当前网络：{kind}，I = {I}，H = {H}，L = {L}，D = {D}{peep}：{formula} = {total:,} 个参数"
              "（引擎计数 {engine:,}）。",
    },
    "theory.family_peep_word": {"en": ", with peepholes", "zh": "，含窥视孔"},
    # train
    "train.layers": {"en": "Layers", "zh": "层数"},
    "train.bidir": {"en": "Bidirectional", "zh": "双向"},
    "train.family_help": {
        "en": "Stacked layers and a reverse direction: the brackets and first-symbol tasks show when they help "
              "(a bidirectional network sees the first symbol at every step from the end).",
        "zh": "堆叠层与反向方向：括号任务和首符号任务能显示它们何时有帮助（双向网络从末尾读时每一步都能看到首符号）。",
    },
}
