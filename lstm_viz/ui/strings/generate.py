"""Strings of the Generate page (one-to-many) and of the four input/output forms on the Theory page."""

STRINGS = {
    "nav.generate": {"en": "Generate", "zh": "文本生成"},
    "gen.title": {"en": "Generate: one-to-many", "zh": "文本生成：一对多"},
    "gen.intro": {
        "en": "A character language model writes: after the prime, every character is drawn from "
              "softmax(z / temperature), optionally only among the top-k, and read back in as the next input. "
              "Step through what it wrote: the five candidates at each step and the gates of the cell.",
        "zh": "字符级语言模型在写作：在引导文本之后，每个字符都从 softmax(z / 温度) 中抽取（可只在前 k 个中抽），"
              "再作为下一个输入读回。逐步查看它写下的内容：每一步的五个候选以及单元的门控。",
    },
    "gen.none": {
        "en": "No character language model is available: ship python-code or tang-poetry, or train one on the Train page.",
        "zh": "没有可用的字符级语言模型：请附带 python-code 或 tang-poetry，或在“训练”页训练一个。",
    },
    "gen.model": {"en": "Language model", "zh": "语言模型"},
    "gen.using_sidebar": {"en": "Using the sidebar's language model **{name}**.", "zh": "使用侧边栏中的语言模型 **{name}**。"},
    "gen.load_failed": {"en": "The model could not be loaded: {reason}", "zh": "无法加载模型：{reason}"},
    "gen.prime": {"en": "Prime text", "zh": "引导文本"},
    "gen.prime_help": {
        "en": "What the model reads before it starts writing (up to {n} characters; may be empty).",
        "zh": "模型开始写作前读入的文本（最多 {n} 个字符，可以为空）。",
    },
    "gen.temperature": {"en": "Temperature", "zh": "温度"},
    "gen.temperature_help": {
        "en": "Below 1 sharpens the distribution (towards always taking the most likely character), above 1 flattens it.",
        "zh": "小于 1 使分布更尖锐（趋向总是取最可能的字符），大于 1 使分布更平坦。",
    },
    "gen.top_k": {"en": "Top-k (0 = all)", "zh": "Top-k（0 = 全部）"},
    "gen.top_k_help": {
        "en": "Sample only among the k most likely characters.",
        "zh": "只在最可能的 k 个字符中抽样。",
    },
    "gen.length": {"en": "Length", "zh": "长度"},
    "gen.seed": {"en": "Seed", "zh": "随机种子"},
    "gen.seed_help": {"en": "The same seed and settings write the same text.", "zh": "相同的种子和设置会写出相同的文本。"},
    "gen.another": {"en": "Resample", "zh": "重新抽样"},
    "gen.failed": {"en": "Generation failed: {reason}", "zh": "生成失败：{reason}"},
    "gen.output": {"en": "What it wrote", "zh": "生成的文本"},
    "gen.output_caption": {
        "en": "Prime in grey; every generated character on green by the probability it was drawn with "
              "(darker = more certain; white = it was not among the top {k}). The outlined character is the step below.",
        "zh": "引导文本为灰色；每个生成的字符按其被抽中时的概率着绿色（越深越确定；白色表示不在前 {k} 名之内）。带框的字符即下方的步骤。",
    },
    "gen.step": {"en": "Generated character", "zh": "生成的字符"},
    "gen.prev": {"en": "Previous", "zh": "上一个"},
    "gen.next": {"en": "Next", "zh": "下一个"},
    "gen.read": {
        "en": "Character {s} of {n}: having read **{prev}**, the model drew **{char}** (p = {p}).",
        "zh": "第 {s} / {n} 个字符：读入 **{prev}** 之后，模型抽中了 **{char}**（p = {p}）。",
    },
    "gen.read_first": {
        "en": "Character 0: with an empty prime the first character **{char}** is drawn uniformly.",
        "zh": "第 0 个字符：引导文本为空时，第一个字符 **{char}** 是均匀随机抽取的。",
    },
    "gen.not_shown": {"en": "not in the top {k}", "zh": "不在前 {k} 名"},
    "gen.bar_title": {"en": "Top {k} candidates for character {s}", "zh": "第 {s} 个字符的前 {k} 个候选"},
    "gen.heat_title": {"en": "Top {k} at characters {a}–{b}", "zh": "第 {a}–{b} 个字符的前 {k} 名"},
    "gen.prob": {"en": "probability", "zh": "概率"},
    "gen.rank": {"en": "rank", "zh": "名次"},
    "gen.gates": {"en": "The cell when it chose character {s}", "zh": "选出第 {s} 个字符时的单元"},
    "gen.gates_caption": {
        "en": "The LSTM at step {t} (reading {prev}): its state gave the distribution character {s} was drawn from.",
        "zh": "第 {t} 步的 LSTM（读入 {prev}）：它的状态给出了第 {s} 个字符所抽取的分布。",
    },
    "gen.unit": {"en": "Unit", "zh": "单元"},
    "gen.cell_title": {"en": "Step {t}, unit {unit}", "zh": "第 {t} 步，单元 {unit}"},
    "gen.card": {"en": "Model card", "zh": "模型卡"},
    # ---- the four input/output forms (Theory page) ----
    "forms.header": {"en": "Four ways to map inputs to outputs", "zh": "输入与输出的四种形式"},
    "forms.explain": {
        "en": "The same recurrent cell, unrolled over time, serves four kinds of task; what differs is where the "
              "inputs enter and where the outputs are read. Each links to the page that shows it live.",
        "zh": "同一个循环单元按时间展开，可以完成四类任务；区别只在输入从哪里进入、输出在哪里读取。每一种都链接到实时展示它的页面。",
    },
    "forms.one_to_one": {"en": "one-to-one", "zh": "一对一"},
    "forms.many_to_one": {"en": "many-to-one", "zh": "多对一"},
    "forms.one_to_many": {"en": "one-to-many", "zh": "一对多"},
    "forms.many_to_many": {"en": "many-to-many", "zh": "多对多"},
    "forms.one_to_one.note": {"en": "one step: a plain network", "zh": "只有一步：普通神经网络"},
    "forms.many_to_one.note": {"en": "a review → its sentiment", "zh": "一条评论 → 情感"},
    "forms.one_to_many.note": {"en": "a prime → generated text", "zh": "引导文本 → 生成的文本"},
    "forms.many_to_many.note": {"en": "every character → the next", "zh": "每个字符 → 下一个字符"},
    "forms.input": {"en": "input", "zh": "输入"},
    "forms.output": {"en": "output", "zh": "输出"},
    "forms.state": {"en": "LSTM state", "zh": "LSTM 状态"},
    "forms.link.one_to_one": {"en": "Step by step", "zh": "逐步运行"},
    "forms.link.many_to_one": {"en": "Sentiment", "zh": "情感分类"},
    "forms.link.one_to_many": {"en": "Generate", "zh": "文本生成"},
    "forms.link.many_to_many": {"en": "Cells", "zh": "记忆单元"},
}
