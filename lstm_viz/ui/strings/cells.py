"""Strings of the Cells page (pages/cells.py)."""

STRINGS = {
    "cells.title": {"en": "Cells: what do single units track?", "zh": "记忆单元：单个单元在追踪什么？"},
    "cells.intro": {
        "en": "A character-level language model reads the text one character at a time and, after each character, "
              "predicts the next one. Some hidden units turn out to track readable properties of the text: whether "
              "we are inside a string, how deep the brackets are, how far along the line we are "
              "(Karpathy, Johnson & Fei-Fei 2015). Below: the model's predictions, the text coloured by one unit, "
              "and a hypothesis test that ranks units by their correlation with a label you choose "
              "(in the spirit of LSTMVis, Strobelt et al. 2018).",
        "zh": "字符级语言模型逐个字符读入文本，并在读完每个字符后预测下一个字符。有些隐藏单元会追踪文本中可解读的性质："
              "是否位于字符串内部、括号嵌套多深、当前行已写到第几个字符（Karpathy、Johnson 与 Fei-Fei，2015）。"
              "下面依次展示：模型的预测、按某个单元着色的文本，以及一个假设检验——按各单元与你选择的标签之间的相关性排序"
              "（思路来自 LSTMVis，Strobelt 等，2018）。",
    },
    "cells.model": {"en": "Language model", "zh": "语言模型"},
    "cells.model_help": {
        "en": "The sidebar's model is not a character-level language model, so this page uses one of the shipped ones.",
        "zh": "侧边栏中的模型不是字符级语言模型，因此本页使用随附的预训练模型之一。",
    },
    "cells.model.python-code": {"en": "Python source code", "zh": "Python 源代码"},
    "cells.model.tang-poetry": {"en": "Chinese classical poetry (Tang poems)", "zh": "中国古典诗词（唐诗）"},
    "cells.using_sidebar_model": {
        "en": "Using the sidebar's language model **{name}**.",
        "zh": "使用侧边栏中的语言模型 **{name}**。",
    },
    "cells.analysing.example": {
        "en": "Analysing the model's own example text ({chars:,} characters, shown below), not the sidebar's text: "
              "switch the toggle off to use the sidebar's.",
        "zh": "分析的是该模型自带的示例文本（{chars:,} 个字符，见下文），而不是侧边栏中的文本：关闭开关即可改用侧边栏中的文本。",
    },
    "cells.analysing.sidebar": {
        "en": "Analysing the sidebar's text ({chars:,} characters).",
        "zh": "分析的是侧边栏中的文本（{chars:,} 个字符）。",
    },
    "cells.use_example": {"en": "Use the model's example text", "zh": "使用该模型的示例文本"},
    "cells.use_example_help": {
        "en": "Off: use the text from the sidebar.",
        "zh": "关闭时使用侧边栏中的文本。",
    },
    "cells.no_models": {
        "en": "No trained language model is available (the files in lstm_viz/data/weights are missing).",
        "zh": "没有可用的已训练语言模型（lstm_viz/data/weights 中的文件缺失）。",
    },
    "cells.load_failed": {"en": "Could not load the model: {reason}", "zh": "无法加载模型：{reason}"},
    "cells.empty": {"en": "The text is empty: type at least two characters in the sidebar.",
                    "zh": "文本为空：请在侧边栏中至少输入两个字符。"},
    "cells.truncated": {
        "en": "The text has {total:,} characters; this page uses the first {kept:,}.",
        "zh": "文本共有 {total:,} 个字符；本页只使用前 {kept:,} 个。",
    },
    "cells.unknown": {
        "en": "{n} character(s) are not in the model's vocabulary and are read as <unk>: {chars}",
        "zh": "有 {n} 个字符不在模型的词表中，按 <unk>（未知字符）读入：{chars}",
    },
    "cells.summary": {
        "en": "{chars:,} characters · vocabulary {vocab:,} · hidden size H = {hidden} · "
              "{bpc:.2f} bits per character on this text (uniform guessing: {uniform:.2f})",
        "zh": "{chars:,} 个字符 · 词表 {vocab:,} · 隐藏层大小 H = {hidden} · "
              "本文本上每字符 {bpc:.2f} 比特（均匀猜测：{uniform:.2f}）",
    },
    "cells.card": {"en": "Model card", "zh": "模型卡片"},
    # predictions
    "cells.pred.header": {"en": "Next-character predictions", "zh": "下一个字符的预测"},
    "cells.pred.explain": {
        "en": "After reading the character at step t, the model gives a probability to every possible next "
              "character. The five most likely are shown; the character that actually comes next is orange.",
        "zh": "读入第 t 步的字符后，模型为每个可能的下一个字符给出概率。这里显示最可能的五个；实际出现的下一个字符标为橙色。",
    },
    "cells.step": {"en": "Step t", "zh": "时间步 t"},
    "cells.pred.read": {
        "en": "Step {t}: read {char}; actually next: {next} (p = {p:.3f}, rank {rank})",
        "zh": "第 {t} 步：读入 {char}；实际的下一个字符：{next}（p = {p:.3f}，排名第 {rank}）",
    },
    "cells.pred.read_last": {
        "en": "Step {t}: read {char} (the last character: nothing follows it).",
        "zh": "第 {t} 步：读入 {char}（最后一个字符，后面没有字符）。",
    },
    "cells.pred.bar_title": {"en": "Top 5 after step {t}", "zh": "第 {t} 步之后的前 5 个预测"},
    "cells.pred.heat_title": {
        "en": "Top 5 predictions, steps {a}–{b} (colour = probability)",
        "zh": "第 {a}–{b} 步的前 5 个预测（颜色 = 概率）",
    },
    "cells.pred.rank": {"en": "rank", "zh": "排名"},
    "cells.pred.prob": {"en": "probability", "zh": "概率"},
    # colour by unit
    "cells.color.header": {"en": "The text coloured by one unit", "zh": "按单个单元着色的文本"},
    "cells.color.explain": {
        "en": "Each character's background shows the chosen unit's value after reading it "
              "(blue positive, red negative, white 0). Hover for the exact value.",
        "zh": "每个字符的背景颜色表示读入该字符后所选单元的值（蓝色为正，红色为负，白色为 0）。鼠标悬停可查看具体数值。",
    },
    "cells.unit": {"en": "Unit", "zh": "单元"},
    "cells.state": {"en": "State", "zh": "状态"},
    "cells.state.h": {"en": "hidden state h", "zh": "隐藏状态 h"},
    "cells.state.c": {"en": "cell state c", "zh": "细胞状态 c"},
    "cells.color.title": {"en": "{state}[{unit}] over the text", "zh": "{state}[{unit}] 在文本上的取值"},
    # find cells
    "cells.find.header": {"en": "Find cells", "zh": "寻找记忆单元"},
    "cells.find.explain": {
        "en": "Choose a label: one number per character that describes the text after reading that character. "
              "Every unit is scored by the Pearson correlation r between its activation and the label over this "
              "text; |r| near 1 means the unit follows the label closely (negative r: it follows it upside down). "
              "Correlation on one text is evidence, not proof: try other texts.",
        "zh": "选择一个标签：为每个字符给出一个数值，描述读入该字符之后文本所处的状态。"
              "在这段文本上计算每个单元的激活值与标签之间的皮尔逊相关系数 r；|r| 接近 1 表示该单元紧跟标签变化"
              "（r 为负表示方向相反）。单段文本上的相关性只是证据而非证明：请换几段文本再试。",
    },
    "cells.label": {"en": "Label", "zh": "标签"},
    "cells.label.in_string": {"en": "inside a string ('…', \"…\", '''…''')", "zh": "位于字符串内（'…'、\"…\"、'''…'''）"},
    "cells.label.in_comment": {"en": "inside a comment (# …)", "zh": "位于注释内（# …）"},
    "cells.label.bracket_depth": {"en": "bracket depth ( ) [ ] {{ }}", "zh": "括号嵌套深度 ( ) [ ] {{ }}"},
    "cells.label.column": {"en": "position in the line (column)", "zh": "在行内的位置（列号）"},
    "cells.label.indent": {"en": "indentation of the line", "zh": "该行的缩进"},
    "cells.label.since_punct": {"en": "characters since the last punctuation mark", "zh": "距上一个标点的字符数"},
    "cells.label.poem_header": {"en": "poem title and author lines (vs the verse)", "zh": "诗题和作者行（相对于正文）"},
    "cells.label.rhyme_half": {"en": "second half of a couplet (where the rhyme falls)", "zh": "联的下半句（押韵处）"},
    "cells.label.regex": {"en": "my regular expression…", "zh": "自定义正则表达式…"},
    "cells.regex": {"en": "Regular expression (Python re)", "zh": "正则表达式（Python re 语法）"},
    "cells.regex_help": {
        "en": "The label is 1 on characters inside a match, 0 elsewhere. Example: \\d+ (numbers), self, [，。] . "
              "Evaluated with a time limit on at most {cap:,} characters.",
        "zh": "匹配范围内的字符标签为 1，其余为 0。例如：\\d+（数字）、self、[，。]。"
              "计算有时间限制，最多处理 {cap:,} 个字符。",
    },
    "cells.regex_empty": {"en": "Type a regular expression to use as the label.", "zh": "请输入一个用作标签的正则表达式。"},
    "cells.label_error": {"en": "This label cannot be used: {reason}", "zh": "无法使用此标签：{reason}"},
    "cells.err.empty_text": {"en": "the text is empty.", "zh": "文本为空。"},
    "cells.err.text_too_long": {
        "en": "the text is too long for this label ({n:,} characters; at most {cap:,}).",
        "zh": "文本对该标签来说太长（{n:,} 个字符；最多 {cap:,} 个）。",
    },
    "cells.err.regex_empty": {"en": "the regular expression is empty.", "zh": "正则表达式为空。"},
    "cells.err.regex_too_long": {
        "en": "the regular expression is too long (at most {cap} characters).",
        "zh": "正则表达式太长（最多 {cap} 个字符）。",
    },
    "cells.err.regex_invalid": {"en": "Invalid regular expression: {reason}", "zh": "正则表达式无效：{reason}"},
    "cells.err.regex_timeout": {
        "en": "the regular expression took longer than {seconds:g} s (catastrophic backtracking?). "
              "Simplify it, e.g. avoid nested repetition like (a+)+.",
        "zh": "正则表达式运行超过 {seconds:g} 秒（可能是灾难性回溯）。请简化它，例如避免 (a+)+ 这样的嵌套重复。",
    },
    "cells.err.regex_failed": {"en": "the regular expression could not be evaluated.", "zh": "无法计算该正则表达式。"},
    "cells.err.constant_label": {
        "en": "the label is constant on this text, so no unit can correlate with it. Try another label or text.",
        "zh": "该标签在这段文本上是常数，没有单元能与之相关。请换一个标签或文本。",
    },
    "cells.err.unknown_label": {"en": "unknown label.", "zh": "未知标签。"},
    "cells.top": {"en": "Units to show", "zh": "显示的单元数"},
    "cells.find.table_unit": {"en": "unit", "zh": "单元"},
    "cells.find.table_r": {"en": "Pearson r", "zh": "皮尔逊 r"},
    "cells.find.best": {
        "en": "Best unit: {state}[{unit}] with r = {r:+.3f}.",
        "zh": "最佳单元：{state}[{unit}]，r = {r:+.3f}。",
    },
    "cells.find.weak": {
        "en": "No unit follows this label closely on this text (best |r| < 0.3).",
        "zh": "在这段文本上，没有单元紧跟这个标签（最佳 |r| < 0.3）。",
    },
    "cells.find.plot_title": {
        "en": "Label \"{label}\" and the best units",
        "zh": "标签「{label}」与最佳单元",
    },
    "cells.find.bars_title": {
        "en": "Correlation of every unit with \"{label}\"",
        "zh": "每个单元与「{label}」的相关系数",
    },
    "cells.find.best_text": {
        "en": "The text coloured by the best unit {state}[{unit}]",
        "zh": "按最佳单元 {state}[{unit}] 着色的文本",
    },
    "cells.find.drift": {
        "en": "On this text the label mostly grows with time (for example the column of a text without line "
              "breaks), so any unit that drifts steadily correlates with it: use a longer text with several lines.",
        "zh": "在这段文本上，标签基本随时间单调增长（例如没有换行的文本的列号），因此任何稳定漂移的单元都会与之相关："
              "请使用包含多行的更长文本。",
    },
    "cells.find.label_text": {"en": "The label itself", "zh": "标签本身"},
}
