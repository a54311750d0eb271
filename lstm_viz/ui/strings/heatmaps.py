"""Strings of the Gate heatmaps page (pages/gate_heatmaps.py)."""

STRINGS = {
    "heatmaps.title": {"en": "Gate heatmaps", "zh": "门控热力图"},
    "heatmaps.intro": {
        "en": "Every gate and state of the network over the whole text: time (tokens) runs left to right, "
              "one row per hidden unit. Gates are between 0 (closed) and 1 (open); the candidate g, the cell "
              "state c and the hidden state h are signed (blue positive, red negative, white 0). "
              "Hover over a cell to read the token, step, unit and value.",
        "zh": "整段文本上网络的每个门和状态：时间（词元）从左到右，每个隐藏单元一行。门的取值在 0（关闭）与 1（打开）之间；"
              "候选值 g、细胞状态 c 和隐藏状态 h 有正负（蓝色为正，红色为负，白色为 0）。"
              "鼠标悬停在格子上可查看词元、时间步、单元和数值。",
    },
    # panels
    "heatmaps.panel.f": {"en": "forget gate fₜ", "zh": "遗忘门 fₜ"},
    "heatmaps.panel.i": {"en": "input gate iₜ", "zh": "输入门 iₜ"},
    "heatmaps.panel.o": {"en": "output gate oₜ", "zh": "输出门 oₜ"},
    "heatmaps.panel.g": {"en": "candidate gₜ", "zh": "候选值 gₜ"},
    "heatmaps.panel.c": {"en": "cell state cₜ", "zh": "细胞状态 cₜ"},
    "heatmaps.panel.h": {"en": "hidden state hₜ", "zh": "隐藏状态 hₜ"},
    "heatmaps.panel.r": {"en": "reset gate rₜ", "zh": "重置门 rₜ"},
    "heatmaps.panel.z": {"en": "update gate zₜ", "zh": "更新门 zₜ"},
    "heatmaps.panel.n": {"en": "candidate nₜ", "zh": "候选值 nₜ"},
    # controls
    "heatmaps.quantities": {"en": "Show", "zh": "显示"},
    "heatmaps.quantities_none": {
        "en": "Choose at least one quantity to show.",
        "zh": "请至少选择一个要显示的量。",
    },
    "heatmaps.sort": {"en": "Order of the units", "zh": "单元排序"},
    "heatmaps.sort.index": {"en": "by unit number", "zh": "按单元编号"},
    "heatmaps.sort.mean": {"en": "by mean activation", "zh": "按平均激活值"},
    "heatmaps.sort.variance": {"en": "by variance", "zh": "按方差"},
    "heatmaps.sort.cluster": {"en": "clustered (similar units together)", "zh": "聚类（相似单元相邻）"},
    "heatmaps.sort_help": {
        "en": "Clustered: average-linkage hierarchical clustering on the correlation between units over time, "
              "so units that rise and fall together sit next to each other.",
        "zh": "聚类：按单元随时间变化的相关性做平均连接层次聚类，同起同落的单元排在一起。",
    },
    "heatmaps.basis": {"en": "Order by the values of", "zh": "排序依据"},
    "heatmaps.subset": {"en": "Units shown", "zh": "显示哪些单元"},
    "heatmaps.subset.all": {"en": "all", "zh": "全部"},
    "heatmaps.subset.range": {"en": "a range", "zh": "一个区间"},
    "heatmaps.subset.topk": {"en": "the k most variable", "zh": "方差最大的 k 个"},
    "heatmaps.subset.list": {"en": "a list", "zh": "指定列表"},
    "heatmaps.range": {"en": "Units from … to", "zh": "单元区间"},
    "heatmaps.topk": {"en": "k", "zh": "k"},
    "heatmaps.topk_help": {
        "en": "The k units whose values (of the quantity chosen for the order) vary most over the text.",
        "zh": "在整段文本上数值（排序依据所选的量）变化最大的 k 个单元。",
    },
    "heatmaps.list": {"en": "Unit numbers", "zh": "单元编号"},
    "heatmaps.list_help": {
        "en": "Numbers and ranges separated by commas, e.g. 0, 3, 10-12. Units are numbered 0 to H−1.",
        "zh": "用逗号分隔的编号或区间，例如 0, 3, 10-12。单元编号为 0 到 H−1。",
    },
    "heatmaps.list_error.syntax": {
        "en": "“{item}” is not a unit number or a range like 10-12. Showing all units.",
        "zh": "“{item}”不是单元编号，也不是 10-12 这样的区间。暂时显示全部单元。",
    },
    "heatmaps.list_error.range": {
        "en": "“{item}” is outside 0 to {last} (this network has {count} units). Showing all units.",
        "zh": "“{item}”超出了 0 到 {last} 的范围（该网络有 {count} 个单元）。暂时显示全部单元。",
    },
    "heatmaps.list_error.empty": {
        "en": "Type some unit numbers, e.g. 0, 3, 10-12. Showing all units.",
        "zh": "请输入单元编号，例如 0, 3, 10-12。暂时显示全部单元。",
    },
    "heatmaps.window": {"en": "Time steps shown", "zh": "显示的时间步"},
    "heatmaps.window_help": {
        "en": "Long texts: pick the stretch of time steps to draw (at most {max} columns are drawn; "
              "wider stretches show every n-th step).",
        "zh": "长文本：选择要绘制的时间步区间（最多绘制 {max} 列；区间更宽时每隔 n 步取一步）。",
    },
    "heatmaps.fig_title": {"en": "{kind}: gates and states, {units} units × {steps} steps",
                           "zh": "{kind}：门与状态，{units} 个单元 × {steps} 个时间步"},
    "heatmaps.x_title": {"en": "token (time step)", "zh": "词元（时间步）"},
    "heatmaps.y_title": {"en": "unit", "zh": "单元"},
    "heatmaps.hover.step": {"en": "step", "zh": "时间步"},
    "heatmaps.hover.unit": {"en": "unit", "zh": "单元"},
    "heatmaps.hover.value": {"en": "value", "zh": "数值"},
    "heatmaps.stride_note": {
        "en": "long sequence: every {stride}th of {total} steps is drawn",
        "zh": "序列较长：{total} 个时间步中每隔 {stride} 步绘制一步",
    },
    "heatmaps.order_caption": {
        "en": "Rows top to bottom: units {units}.",
        "zh": "从上到下各行依次为单元 {units}。",
    },
    "heatmaps.units_capped": {
        "en": "{total} units selected; the first {shown} in this order are drawn. Use a range, top-k or a list to see others.",
        "zh": "选中了 {total} 个单元，只绘制此顺序中的前 {shown} 个。可用区间、前 k 个或列表查看其他单元。",
    },
    # coloured text
    "heatmaps.text_title": {"en": "The text, coloured by one unit", "zh": "按单个单元着色的文本"},
    "heatmaps.text_caption": {
        "en": "Each token's background shows the chosen unit's value at that step (as in Karpathy, Johnson & "
              "Fei-Fei 2015, “Visualizing and understanding recurrent networks”). Signed values: red = "
              "negative, blue = positive; gates: green = open. Hover over a token to read its value.",
        "zh": "每个词元的背景色表示所选单元在该时间步的数值（仿照 Karpathy、Johnson 与 Fei-Fei 2015 年的论文"
              "《Visualizing and understanding recurrent networks》）。有正负的量：红色为负，蓝色为正；门：绿色表示打开。"
              "鼠标悬停在词元上可查看数值。",
    },
    "heatmaps.text_quantity": {"en": "Colour by", "zh": "着色依据"},
    "heatmaps.text_label": {
        "en": "{quantity}, unit {unit}: min {vmin:.3f}, max {vmax:.3f}",
        "zh": "{quantity}，单元 {unit}：最小值 {vmin:.3f}，最大值 {vmax:.3f}",
    },
    "heatmaps.text_truncated": {
        "en": "Only the first {shown} of {total} tokens are coloured.",
        "zh": "只为 {total} 个词元中的前 {shown} 个着色。",
    },
    "heatmaps.download_text": {"en": "Values of this unit (CSV)", "zh": "该单元的数值（CSV）"},
    # saturation
    "heatmaps.sat_title": {"en": "Gate saturation", "zh": "门的饱和程度"},
    "heatmaps.sat_fig_title": {"en": "Fraction of steps each gate unit spends saturated",
                               "zh": "每个门单元处于饱和状态的时间步比例"},
    "heatmaps.sat_x": {"en": "fraction of steps with gate < 0.1 (closed)", "zh": "门值 < 0.1（关闭）的时间步比例"},
    "heatmaps.sat_y": {"en": "fraction of steps with gate > 0.9 (open)", "zh": "门值 > 0.9（打开）的时间步比例"},
    "heatmaps.sat_caption": {
        "en": "One point per unit and gate, over all {units} units and the whole text. Points near the origin are "
              "rarely saturated (they act as soft, content-dependent switches); points near the dotted line "
              "x + y = 1 are almost always fully open or fully closed (e.g. forget-gate units that keep a value "
              "for long stretches sit near the top). Karpathy et al. 2015 found such right-saturated forget gates "
              "in trained character models; a random network mostly sits near the origin.",
        "zh": "每个单元的每个门对应一个点，统计全部 {units} 个单元、整段文本。靠近原点的点很少饱和（像柔和的、依赖内容的开关）；"
              "靠近虚线 x + y = 1 的点几乎总是完全打开或完全关闭（例如长时间保持数值的遗忘门单元位于上方）。"
              "Karpathy 等人 2015 年在训练好的字符模型中发现了这种“右饱和”的遗忘门；随机网络的点大多在原点附近。",
    },
    "heatmaps.sat_none": {
        "en": "A simple RNN has no gates, so there is no saturation plot.",
        "zh": "简单 RNN 没有门，因此没有饱和度图。",
    },
}
