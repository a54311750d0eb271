"""Strings of the Sentiment page (many-to-one) and of the out-of-vocabulary notes every page shows."""

STRINGS = {
    "nav.sentiment": {"en": "Sentiment", "zh": "情感分类"},
    "sent.title": {"en": "Sentiment: many-to-one", "zh": "情感分类：多对一"},
    "sent.intro": {
        "en": "An LSTM reads a review token by token; only its last hidden state goes to one logistic unit, "
              "$P(\\text{{positive}}) = \\sigma(w \\cdot h_T + b)$. Watch it change its mind word by word, see which words and which units "
              "decided, and change a word to see what happens.",
        "zh": "LSTM 逐个词元读一条评论，只有最后的隐藏状态送进一个逻辑单元：$P(\\text{{正面}}) = \\sigma(w \\cdot h_T + b)$。"
              "看它如何逐字改变主意、哪些词和哪些单元起了决定作用，再改一个词看看会怎样。",
    },
    "sent.none": {
        "en": "No sentiment model is shipped with this copy of the app yet (the weight files sentiment-en / "
              "sentiment-zh are not in the weights folder). Train one with the sentiment training script, or "
              "choose a sentiment classifier as the sidebar's network (trained or uploaded); this page then shows it.",
        "zh": "这份应用还没有附带情感分类模型（权重文件夹里没有 sentiment-en / sentiment-zh）。"
              "可以用情感分类训练脚本训练一个，或在侧边栏选择一个情感分类网络（训练得到或上传的），本页随即显示它。",
    },
    "sent.model": {"en": "Classifier", "zh": "分类器"},
    "sent.model_help": {
        "en": "sentiment-en reads lower-cased English words, sentiment-zh reads Chinese characters.",
        "zh": "sentiment-en 读取小写英文单词，sentiment-zh 读取汉字。",
    },
    "sent.using_sidebar": {
        "en": "Using the sidebar's classifier **{name}**.",
        "zh": "使用侧边栏中的分类器 **{name}**。",
    },
    "sent.load_failed": {"en": "The classifier could not be loaded: {reason}", "zh": "无法加载分类器：{reason}"},
    "sent.card": {"en": "Model card", "zh": "模型卡"},
    "sent.examples": {"en": "Examples", "zh": "示例"},
    "sent.ex.good": {"en": "good", "zh": "好评"},
    "sent.ex.bad": {"en": "bad", "zh": "差评"},
    "sent.ex.tricky": {"en": "tricky: negation", "zh": "难点：否定"},
    "sent.ex.turn": {"en": "tricky: a turn", "zh": "难点：转折"},
    "sent.review": {"en": "Review", "zh": "评论"},
    "sent.review_help": {
        "en": "Up to {chars} characters; the page analyses the first {tokens} tokens.",
        "zh": "最多 {chars} 个字符；本页分析前 {tokens} 个词元。",
    },
    "sent.empty": {
        "en": "Type a review (or click an example): the classifier needs at least one token.",
        "zh": "请输入一条评论（或点击示例）：分类器至少需要一个词元。",
    },
    "sent.truncated": {
        "en": "The review has {total} tokens; the page analyses the first {kept} (each leave-one-out is a forward "
              "pass, so the work grows with the square of the length).",
        "zh": "这条评论有 {total} 个词元；本页只分析前 {kept} 个（每个留一法都是一次前向计算，工作量随长度平方增长）。",
    },
    "sent.failed": {"en": "The classifier could not read this text: {reason}", "zh": "分类器无法读取这段文本：{reason}"},
    "sent.verdict": {"en": "P(positive)", "zh": "P(正面)"},
    "sent.positive": {"en": "positive", "zh": "正面"},
    "sent.negative": {"en": "negative", "zh": "负面"},
    "sent.verdict_caption": {
        "en": "{n} tokens · logit z = {z:+.3f} · threshold 0.5",
        "zh": "{n} 个词元 · logit z = {z:+.3f} · 阈值 0.5",
    },
    "sent.mind.header": {"en": "The LSTM changing its mind", "zh": "LSTM 在改变主意"},
    "sent.mind.explain": {
        "en": "After every token the head reads the current hidden state: σ(w·hₜ + b) is exactly what the "
              "classifier would say about the review cut after that token. The last point is its verdict.",
        "zh": "每读一个词元，输出层都读取当时的隐藏状态：σ(w·hₜ + b) 正是分类器对截止到该词元的评论的判断。最后一点就是最终结论。",
    },
    "sent.mind.title": {"en": "P(positive) after each token", "zh": "每个词元之后的 P(正面)"},
    "sent.token": {"en": "token", "zh": "词元"},
    "sent.prob": {"en": "P(positive)", "zh": "P(正面)"},
    "sent.contrib.header": {"en": "What each token contributed", "zh": "每个词元的贡献"},
    "sent.contrib.explain": {
        "en": "Blue pushed the final logit towards positive, red towards negative (hover for the value). "
              "Gradient × input: (∂z/∂xₜ)·xₜ, a first-order estimate from one backward pass. Leave-one-out: "
              "z(review) − z(review without that token), recomputed exactly; it sees what the token did in context.",
        "zh": "蓝色把最终 logit 推向正面，红色推向负面（悬停可看数值）。梯度 × 输入：(∂z/∂xₜ)·xₜ，"
              "一次反向传播得到的一阶估计。留一法：z(评论) − z(去掉该词元的评论)，精确重算，反映该词元在上下文中的作用。",
    },
    "sent.contrib.gxi": {"en": "Gradient × input", "zh": "梯度 × 输入"},
    "sent.contrib.loo": {"en": "Leave-one-out", "zh": "留一法"},
    "sent.contrib.table_token": {"en": "token", "zh": "词元"},
    "sent.head.header": {"en": "Which units decided", "zh": "哪些单元做了决定"},
    "sent.head.explain": {
        "en": "The logit is a sum over units: $z = \\sum_j w_j\\, h_T[j] + b$ ($b = {b:+.3f}$). The units with the largest "
              "terms push the decision; their hidden states over the review show when they made up their mind.",
        "zh": "logit 是各单元之和：$z = \\sum_j w_j\\, h_T[j] + b$（$b = {b:+.3f}$）。贡献最大的单元推动了决定；"
              "它们在整条评论上的隐藏状态显示了它们何时拿定主意。",
    },
    "sent.head.bars": {"en": "w<sub>j</sub> · h<sub>T</sub>[j]: the strongest pushes", "zh": "w<sub>j</sub> · h<sub>T</sub>[j]：最强的推动"},
    "sent.head.unit": {"en": "unit", "zh": "单元"},
    "sent.head.traces": {"en": "hₜ of those units over the review", "zh": "这些单元在评论上的 hₜ"},
    "sent.head.none": {"en": "No unit pushes in either direction (all terms are zero).", "zh": "没有单元在任何方向上起作用（各项均为零）。"},
    "sent.head.open_unit": {"en": "Unit", "zh": "单元"},
    "sent.head.to_step": {"en": "Open in Step by step", "zh": "在“逐步运行”中打开"},
    "sent.head.to_heatmaps": {"en": "Open these units in Gate heatmaps", "zh": "在“门控热力图”中打开这些单元"},
    "sent.head.links_note": {
        "en": "The buttons put this classifier and this review into the sidebar, so the other pages show them.",
        "zh": "这些按钮会把该分类器和这条评论放进侧边栏，其他页面便显示它们。",
    },
    "sent.whatif.header": {"en": "What if?", "zh": "如果……会怎样？"},
    "sent.whatif.explain": {
        "en": "Change a word and compare. The same word can leave different states behind because of what came "
              "before it (\"leave Taipei\" / \"arrive Taipei\"): the gates of one unit over both texts, and every "
              "chosen gate's difference B − A.",
        "zh": "改一个词再比较。同一个词会因前文不同而留下不同的状态（“离开台北”/“抵达台北”）："
              "下面是一个单元在两段文本上的门控值，以及各门的差 B − A。",
    },
    "sent.whatif.text": {"en": "B: the review with a change", "zh": "B：改动后的评论"},
    "sent.whatif.a": {"en": "A (review)", "zh": "A（原评论）"},
    "sent.whatif.b": {"en": "B (changed)", "zh": "B（改动后）"},
    "sent.whatif.curves": {"en": "P(positive): A and B", "zh": "P(正面)：A 与 B"},
    "sent.whatif.same": {"en": "B is the same text as A: change a word to compare.", "zh": "B 与 A 相同：改一个词再比较。"},
    "sent.whatif.verdicts": {
        "en": "A: P(positive) = {pa:.3f} · B: P(positive) = {pb:.3f} · change {d:+.3f}",
        "zh": "A：P(正面) = {pa:.3f} · B：P(正面) = {pb:.3f} · 变化 {d:+.3f}",
    },
    "sent.whatif.unit": {"en": "Unit for the gates", "zh": "查看门控的单元"},
    "sent.whatif.gates": {"en": "Gates of unit {unit}: A solid, B dashed", "zh": "单元 {unit} 的门控：A 实线，B 虚线"},
    "sent.whatif.diff_title": {"en": "Gate differences B − A", "zh": "门控差 B − A"},
    "sent.whatif.diff": {
        "en": "Gate differences B − A over the first {T} steps, units that decided",
        "zh": "前 {T} 步的门控差 B − A（做决定的单元）",
    },
    "sent.whatif.lengths": {
        "en": "A has {ta} tokens and B {tb}: the differences compare step by step over the first {T}.",
        "zh": "A 有 {ta} 个词元，B 有 {tb} 个：差值逐步比较前 {T} 步。",
    },
    "sent.gate.i": {"en": "input gate i", "zh": "输入门 i"},
    "sent.gate.f": {"en": "forget gate f", "zh": "遗忘门 f"},
    "sent.gate.g": {"en": "candidate g", "zh": "候选值 g"},
    "sent.gate.o": {"en": "output gate o", "zh": "输出门 o"},
    "sent.summary.header": {"en": "The network, Keras-style", "zh": "网络结构（Keras 风格）"},
    "sent.summary.layer": {"en": "Layer (type)", "zh": "层（类型）"},
    "sent.summary.shape": {"en": "Output shape", "zh": "输出形状"},
    "sent.summary.params": {"en": "Param #", "zh": "参数数量"},
    "sent.summary.total": {
        "en": "Total params: {total:,} (all trainable). None is the batch; the review has {T} tokens. "
              "The LSTM has PyTorch's two bias vectors, 4H(E + H) + 8H; Keras keeps one, 4H(E + H + 1).",
        "zh": "总参数：{total:,}（全部可训练）。None 表示批大小；这条评论有 {T} 个词元。"
              "此 LSTM 与 PyTorch 一样有两组偏置：4H(E + H) + 8H；Keras 只有一组：4H(E + H + 1)。",
    },
    # ---- out-of-vocabulary notes (lstm_viz.ui.vocab), on every page ----
    "vocab.unknown": {
        "en": "**{model}** does not know {n} of the distinct tokens in this text ({missing} of {total} tokens); "
              "it reads them as <unk>: {tokens}",
        "zh": "**{model}** 不认识这段文本中 {n} 种词元（共 {total} 个词元中有 {missing} 个），"
              "它把它们读作 <unk>：{tokens}",
    },
    "vocab.switch": {"en": "Switch to {model}", "zh": "切换到 {model}"},
    "vocab.switch_help": {"en": "{model} knows every token of this text.", "zh": "{model} 认识这段文本的全部词元。"},
    "vocab.switch_partial": {
        "en": "Switch to {model} ({missing} unknown)",
        "zh": "切换到 {model}（{missing} 个未知）",
    },
}
