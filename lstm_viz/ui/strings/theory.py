"""Strings of the Theory page."""

STRINGS = {
    "theory.title": {"en": "Theory", "zh": "理论"},
    "theory.intro": {
        "en": "The squashing functions, the three recurrent cells side by side, and what they cost in parameters "
              "for the sizes chosen in the sidebar.",
        "zh": "压缩函数、三种循环单元的对照，以及在侧边栏所选尺寸下它们各需要多少参数。",
    },
    "theory.activations": {"en": "Sigmoid, tanh and their derivatives", "zh": "Sigmoid、tanh 及其导数"},
    "theory.sigmoid": {"en": "σ(a)", "zh": "σ(a)"},
    "theory.sigmoid_prime": {"en": "σ′(a) = σ(a)(1 − σ(a))", "zh": "σ′(a) = σ(a)(1 − σ(a))"},
    "theory.tanh": {"en": "tanh(a)", "zh": "tanh(a)"},
    "theory.tanh_prime": {"en": "tanh′(a) = 1 − tanh²(a)", "zh": "tanh′(a) = 1 − tanh²(a)"},
    "theory.max_sigmoid": {"en": "max σ′ = 1/4", "zh": "σ′ 最大值 = 1/4"},
    "theory.max_tanh": {"en": "max tanh′ = 1", "zh": "tanh′ 最大值 = 1"},
    "theory.gamma": {
        "en": "Backpropagating through one RNN step multiplies the gradient by diag(φ′(a)) Wₕₕ. With γ = max |φ′| "
              "(1/4 for σ, 1 for tanh) the gradient from step t back to step k is bounded by",
        "zh": "每反向传播经过一个 RNN 时间步，梯度就乘上 diag(φ′(a)) Wₕₕ。记 γ = max |φ′|（σ 为 1/4，tanh 为 1），"
              "从第 t 步传回第 k 步的梯度满足",
    },
    "theory.gamma_after": {
        "en": "If γ·σₘₐₓ(Wₕₕ) < 1 the bound shrinks exponentially with the distance t − k: the gradient vanishes. "
              "The LSTM's cell state adds a path whose factor is the forget gate fₜ itself (no weight matrix, no "
              "squashing), so with f close to 1 the gradient can survive many steps.",
        "zh": "若 γ·σₘₐₓ(Wₕₕ) < 1，该上界随距离 t − k 指数衰减：梯度消失。LSTM 的细胞状态提供了一条路径，"
              "其因子就是遗忘门 fₜ 本身（没有权重矩阵，也没有压缩函数），因此当 f 接近 1 时梯度可以跨越许多步。",
    },
    "theory.equations": {"en": "The three cells", "zh": "三种循环单元"},
    "theory.rnn": {"en": "Plain RNN (Elman)", "zh": "普通 RNN（Elman）"},
    "theory.lstm": {"en": "LSTM (Hochreiter & Schmidhuber 1997, with a forget gate)", "zh": "LSTM（Hochreiter 与 Schmidhuber 1997，含遗忘门）"},
    "theory.gru": {"en": "GRU (Cho et al. 2014)", "zh": "GRU（Cho 等 2014）"},
    "theory.conventions": {
        "en": "Conventions as in PyTorch: gate order i, f, g, o (LSTM) and r, z, n (GRU); two bias vectors b_i· and "
              "b_h·; in the GRU the reset gate multiplies Wₕₙhₜ₋₁ + bₕₙ. ⊙ is the element-wise product.",
        "zh": "约定与 PyTorch 相同：门的顺序为 i、f、g、o（LSTM）和 r、z、n（GRU）；两个偏置向量 b_i· 与 b_h·；"
              "GRU 的重置门乘在 Wₕₙhₜ₋₁ + bₕₙ 上。⊙ 表示逐元素乘积。",
    },
    "theory.params": {"en": "Parameters for the current sizes", "zh": "当前尺寸下的参数量"},
    "theory.params_text": {
        "en": "With input size I = {I} and hidden size H = {H}: an RNN has 1 weight block, a GRU 3, an LSTM 4, each "
              "of size H×(H+I) = {block:,}, plus two bias vectors of H per block.",
        "zh": "输入维度 I = {I}、隐藏层大小 H = {H} 时：RNN 有 1 个权重块，GRU 有 3 个，LSTM 有 4 个，"
              "每块大小为 H×(H+I) = {block:,}，另外每块有两个长度为 H 的偏置向量。",
    },
    "theory.col_cell": {"en": "cell", "zh": "单元类型"},
    "theory.col_blocks": {"en": "blocks", "zh": "权重块"},
    "theory.col_weights": {"en": "weights", "zh": "权重"},
    "theory.col_biases": {"en": "biases", "zh": "偏置"},
    "theory.col_total": {"en": "total", "zh": "合计"},
    "theory.current_model": {
        "en": "The model in use is a {kind} with {params:,} parameters.",
        "zh": "当前使用的模型是 {kind}，共有 {params:,} 个参数。",
    },
    "theory.params_title": {"en": "Parameters (I = {I}, H = {H})", "zh": "参数量（I = {I}，H = {H}）"},
    "theory.text_problem": {
        "en": "The text cannot be used right now, but this page does not need it.",
        "zh": "当前文本无法使用，但本页不需要文本。",
    },
}
