"""Strings of the Step by step page."""

STRINGS = {
    "step.title": {"en": "Step by step", "zh": "逐步运行"},
    "step.intro": {
        "en": "The network reads the text one token at a time. Pick a time step t: the drawing shows what the cell "
              "computed at that step, the strips show every unit's value (colour), the labels the chosen unit's.",
        "zh": "网络每个时间步读入一个词元。选择时间步 t：图中展示该步单元内部的计算，色条显示每个单元的数值（颜色），"
              "标注显示所选单元的数值。",
    },
    "step.prev": {"en": "Previous", "zh": "上一步"},
    "step.next": {"en": "Next", "zh": "下一步"},
    "step.play": {"en": "Play", "zh": "播放"},
    "step.stop": {"en": "Stop", "zh": "停止"},
    "step.speed": {"en": "Speed (steps per second)", "zh": "速度（每秒步数）"},
    "step.speed_help": {
        "en": "How fast Play moves through the text.",
        "zh": "播放时在文本中前进的速度。",
    },
    "step.keys": {
        "en": "Keys: ← / → one step, Space play / stop (when no text field has the focus).",
        "zh": "按键：← / → 前后一步，空格键播放 / 停止（输入框没有焦点时）。",
    },
    "step.current_token": {"en": "Step t = {t} of {T}, token: ", "zh": "第 t = {t} 步（共 {T} 步），词元："},
    "step.context": {
        "en": "Text around step t, coloured by hₜ of unit {unit} (blue positive, red negative).",
        "zh": "第 t 步附近的文本，按单元 {unit} 的 hₜ 着色（蓝为正，红为负）。",
    },
    "step.cell_title": {"en": "LSTM cell at t = {t}, unit {unit}", "zh": "t = {t} 时的 LSTM 单元（单元 {unit}）"},
    "step.strips_title": {"en": "{kind} at t = {t}: all units", "zh": "t = {t} 时的 {kind}：全部单元"},
    "step.strips_capped": {
        "en": "H = {H}: the strips show units {start}–{stop} (64 around unit {unit}); labels give unit {unit}.",
        "zh": "H = {H}：色条只显示单元 {start}–{stop}（单元 {unit} 附近的 64 个）；标注为单元 {unit} 的数值。",
    },
    "step.strips_all": {
        "en": "Strips: all {H} units, left to right; labels give unit {unit}.",
        "zh": "色条：从左到右为全部 {H} 个单元；标注为单元 {unit} 的数值。",
    },
    "step.forget": {"en": "forget gate f", "zh": "遗忘门 f"},
    "step.input": {"en": "input gate i", "zh": "输入门 i"},
    "step.candidate": {"en": "candidate g", "zh": "候选值 g"},
    "step.output": {"en": "output gate o", "zh": "输出门 o"},
    "step.belt": {"en": "cell state c: the conveyor belt", "zh": "细胞状态 c：传送带"},
    "step.gates_cb": {"en": "gate (0–1)", "zh": "门（0–1）"},
    "step.signed_cb": {"en": "value", "zh": "数值"},
    "step.unit_word": {"en": "unit", "zh": "单元"},
    "step.equations": {"en": "The equations, with the numbers of unit {unit}", "zh": "公式（代入单元 {unit} 的数值）"},
    "step.equations_note": {
        "en": r"Each gate's input (pre-activation) for this unit is written with PyTorch's names, as in the lines "
              r"above: $a = W_{{i\ast}}\,x_t + b_{{i\ast}} + W_{{h\ast}}\,h_{{t-1}} + b_{{h\ast}}$, where $\ast$ is the "
              r"gate's letter ($W_{{ii}}, W_{{hi}}$ for the input gate $i$, $W_{{if}}, W_{{hf}}$ for the forget gate, …) "
              r"and both bias vectors are included. The numbers that follow are the input part "
              r"$W_{{i\ast}}x_t + b_{{i\ast}}$, the recurrent part $W_{{h\ast}}h_{{t-1}} + b_{{h\ast}}$ and their sum $a$.",
        "zh": r"上面各行中，该单元每个门的输入（预激活值）都用 PyTorch 的命名写出："
              r"$a = W_{{i\ast}}\,x_t + b_{{i\ast}} + W_{{h\ast}}\,h_{{t-1}} + b_{{h\ast}}$，其中 $\ast$ 是门的字母"
              r"（输入门 $i$ 为 $W_{{ii}}, W_{{hi}}$，遗忘门为 $W_{{if}}, W_{{hf}}$，……），两个偏置向量都包含在内。"
              r"随后的数值依次是输入部分 $W_{{i\ast}}x_t + b_{{i\ast}}$、循环部分 $W_{{h\ast}}h_{{t-1}} + b_{{h\ast}}$ 以及二者之和 $a$。",
    },
    "step.what_happened": {"en": "What happened at this step (unit {unit})", "zh": "这一步发生了什么（单元 {unit}）"},
    "step.say_forget": {
        "en": "**Forget gate:** unit {unit} kept {keep}% of its memory and forgot {forgot}% (f = {f}).",
        "zh": "**遗忘门：** 单元 {unit} 保留了 {keep}% 的记忆，遗忘了 {forgot}%（f = {f}）。",
    },
    "step.say_input": {
        "en": "**Input gate:** it let in {pct}% of the candidate g = {g}, writing i·g = {ig} into the memory.",
        "zh": "**输入门：** 放入了候选值 g = {g} 的 {pct}%，向记忆写入 i·g = {ig}。",
    },
    "step.say_candidate": {
        "en": "**Candidate:** the new content proposed from xₜ and hₜ₋₁ is g = {g} ({direction}).",
        "zh": "**候选值：** 由 xₜ 和 hₜ₋₁ 提出的新内容为 g = {g}（{direction}）。",
    },
    "step.say_memory": {
        "en": "**Memory:** c went from {c_prev} to {c} ({change}).",
        "zh": "**记忆：** c 从 {c_prev} 变为 {c}（{change}）。",
    },
    "step.say_output": {
        "en": "**Output gate:** it showed {pct}% of tanh(c) = {tanh_c}, so the unit outputs h = {h}.",
        "zh": "**输出门：** 输出了 tanh(c) = {tanh_c} 的 {pct}%，因此该单元输出 h = {h}。",
    },
    "step.positive": {"en": "positive", "zh": "正"},
    "step.negative": {"en": "negative", "zh": "负"},
    "step.grew": {"en": "its size |c| grew by {d}", "zh": "绝对值 |c| 增加了 {d}"},
    "step.shrank": {"en": "its size |c| shrank by {d}", "zh": "绝对值 |c| 减少了 {d}"},
    "step.became_positive": {"en": "it moved from about zero and became positive", "zh": "从约为零变为正值"},
    "step.became_negative": {"en": "it moved from about zero and became negative", "zh": "从约为零变为负值"},
    "step.changed_sign": {"en": "it changed sign", "zh": "符号发生了改变"},
    "step.unchanged": {"en": "almost unchanged", "zh": "几乎不变"},
    # GRU / RNN
    "step.other_model": {
        "en": "This model is a {kind}: here are its own equations and values (no cell state c).",
        "zh": "该模型是 {kind}：下面是它自己的公式和数值（没有细胞状态 c）。",
    },
    "step.say_reset": {
        "en": "**Reset gate:** unit {unit} used {pct}% of its recurrent input W_hn·hₜ₋₁ + b_hn = {hn} "
              "for the candidate (r = {r}).",
        "zh": "**重置门：** 单元 {unit} 在计算候选值时使用了循环输入 W_hn·hₜ₋₁ + b_hn = {hn} 的 {pct}%（r = {r}）。",
    },
    "step.say_update": {
        "en": "**Update gate:** it kept {keep}% of the old state hₜ₋₁ = {h_prev} and took {take}% of the "
              "candidate n = {n} (z = {z}), giving h = {h}.",
        "zh": "**更新门：** 保留旧状态 hₜ₋₁ = {h_prev} 的 {keep}%，取候选值 n = {n} 的 {take}%（z = {z}），"
              "得到 h = {h}。",
    },
    "step.say_rnn": {
        "en": "**Update:** unit {unit} squashed its input a = {a} to h = {h}; a plain RNN has no gate deciding "
              "what to keep.",
        "zh": "**更新：** 单元 {unit} 把输入 a = {a} 压缩为 h = {h}；普通 RNN 没有门来决定保留什么。",
    },
    "step.playing": {"en": "Playing… press Stop to pause.", "zh": "正在播放……按“停止”暂停。"},
    "step.download": {"en": "step_{t}", "zh": "step_{t}"},
}
