"""Shared strings: app shell, sidebar, errors, downloads, widgets used on several pages."""

STRINGS = {
    # app shell / navigation
    "app.title": {"en": "LSTM Explorer", "zh": "LSTM 探索器"},
    "app.tagline": {
        "en": "See inside a long short-term memory network, one step at a time.",
        "zh": "一步一步看清长短期记忆网络（LSTM）的内部。",
    },
    "nav.step_by_step": {"en": "Step by step", "zh": "逐步运行"},
    "nav.gate_heatmaps": {"en": "Gate heatmaps", "zh": "门控热力图"},
    "nav.vanishing_gradients": {"en": "Vanishing gradients", "zh": "梯度消失"},
    "nav.theory": {"en": "Theory", "zh": "理论"},
    "nav.train": {"en": "Train", "zh": "训练"},
    "nav.cells": {"en": "Cells", "zh": "记忆单元"},
    # sidebar
    "sidebar.language": {"en": "Language / 语言", "zh": "Language / 语言"},
    "sidebar.text": {"en": "Input text", "zh": "输入文本"},
    "sidebar.text_help": {
        "en": "Any text. It is split into tokens and fed to the network one token per time step.",
        "zh": "任意文本。文本被切分成词元（token），每个时间步向网络输入一个词元。",
    },
    "sidebar.reset_text": {"en": "Use the example text", "zh": "使用示例文本"},
    "sidebar.tokenization": {"en": "Tokenization", "zh": "切分方式"},
    "sidebar.tok.chars": {"en": "characters", "zh": "按字符"},
    "sidebar.tok.words": {"en": "words", "zh": "按词"},
    "sidebar.tok_network": {
        "en": "This trained network tokenizes with its own vocabulary.",
        "zh": "该训练好的网络使用自己的词表切分文本。",
    },
    "sidebar.model": {"en": "Model", "zh": "模型"},
    "sidebar.source": {"en": "Source", "zh": "来源"},
    "sidebar.src.random": {"en": "random LSTM", "zh": "随机初始化的 LSTM"},
    "sidebar.src.pretrained": {"en": "trained model", "zh": "预训练模型"},
    "sidebar.src.trained": {"en": "network from the Train page", "zh": "训练页面训练的网络"},
    "sidebar.src.upload": {"en": "uploaded weights", "zh": "上传的权重"},
    "sidebar.seed": {"en": "Random seed", "zh": "随机种子"},
    "sidebar.hidden": {"en": "Hidden size H", "zh": "隐藏层大小 H"},
    "sidebar.forget_bias": {"en": "Forget-gate bias", "zh": "遗忘门偏置"},
    "sidebar.forget_bias_help": {
        "en": "Added to the forget gate's pre-activation. 1.0 (common practice) starts the network remembering: σ(1) ≈ 0.73.",
        "zh": "加到遗忘门的预激活值上。常用 1.0，使网络一开始倾向于记住：σ(1) ≈ 0.73。",
    },
    "sidebar.pretrained": {"en": "Trained model", "zh": "预训练模型"},
    "sidebar.upload": {"en": "Weights file (.npz)", "zh": "权重文件（.npz）"},
    "sidebar.upload_help": {
        "en": "An .npz with weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (PyTorch layout).",
        "zh": "包含 weight_ih_l0、weight_hh_l0、bias_ih_l0、bias_hh_l0 的 .npz 文件（PyTorch 布局）。",
    },
    "sidebar.upload_none": {
        "en": "No file uploaded yet: using the random LSTM.",
        "zh": "尚未上传文件：暂用随机 LSTM。",
    },
    "sidebar.upload_error": {"en": "Could not load the weights: {reason}", "zh": "无法加载权重：{reason}"},
    "sidebar.upload_notes": {"en": "About the uploaded file: {notes}", "zh": "关于上传的文件（说明为英文）：{notes}"},
    "sidebar.trained_missing": {
        "en": "No network trained in this session yet (see the Train page): using the random LSTM.",
        "zh": "本次会话尚未训练网络（见训练页面）：暂用随机 LSTM。",
    },
    "sidebar.pretrained_missing": {
        "en": "No trained models are available: using the random LSTM.",
        "zh": "没有可用的预训练模型：暂用随机 LSTM。",
    },
    "sidebar.pretrained_error": {"en": "Could not load this model: {reason}", "zh": "无法加载该模型：{reason}"},
    "sidebar.summary": {
        "en": "{kind} · H = {hidden} · input size {inputs} · {params} parameters · {tokens} tokens",
        "zh": "{kind} · H = {hidden} · 输入维度 {inputs} · 参数 {params} 个 · 词元 {tokens} 个",
    },
    "sidebar.share": {
        "en": "The address bar holds this whole view: copy the link to share it.",
        "zh": "地址栏包含当前视图的全部状态：复制链接即可分享。",
    },
    "sidebar.lecture": {"en": "Lecture mode", "zh": "授课模式"},
    "sidebar.lecture_help": {
        "en": "For a projector: large type, high contrast, the sidebar folded away. Keys on the Step page: "
              "← / → one step, Space play / pause. The link keeps the mode (lecture=1).",
        "zh": "用于投影：大字号、高对比度，侧边栏收起。逐步运行页面的按键：← / → 前后一步，空格键播放 / 暂停。"
              "链接会保留该模式（lecture=1）。",
    },
    "sidebar.not_here": {
        "en": "The Train page trains its own networks on its own data: the text and model below are for the "
              "other pages and are kept for them.",
        "zh": "训练页面用自己的数据训练自己的网络：下面的文本和模型设置用于其他页面，并为它们保留。",
    },
    "sidebar.link_cut": {
        "en": "This link carries only the first {kept} of the {total} characters of the text ({name}): a link "
              "holds at most {limit} characters so that every browser and server opens it. Share a shorter "
              "text, or send the text itself.",
        "zh": "此链接只包含文本（{name}）{total} 个字符中的前 {kept} 个：为了让所有浏览器和服务器都能打开，"
              "链接最多 {limit} 个字符。请分享更短的文本，或直接发送文本本身。",
    },
    "common.phone_hint": {
        "en": "Text and model: open the sidebar with » at the top left.",
        "zh": "文本和模型：点左上角的 » 打开侧边栏。",
    },
    "sidebar.embedding": {
        "en": "Each token is a fixed pseudo-random vector of size 16 (hash embedding): the same token always gets the same vector.",
        "zh": "每个词元对应一个固定的伪随机向量（维度 16，哈希嵌入）：相同词元总是得到相同向量。",
    },
    # text problems
    "text.empty": {
        "en": "The text is empty (or only spaces). Type something in the sidebar, e.g. the example text.",
        "zh": "文本为空（或只有空白）。请在侧边栏输入文字，例如示例文本。",
    },
    "text.unusable": {"en": "This text cannot be used: {reason}", "zh": "无法使用该文本：{reason}"},
    "text.truncated": {
        "en": "The text has {total} tokens; only the first {kept} are used ({dropped} tokens cut from the end).",
        "zh": "文本共有 {total} 个词元；只使用前 {kept} 个（末尾 {dropped} 个被截去）。",
    },
    "text.controls": {
        "en": "The text contains invisible control characters; they are shown as U+XXXX.",
        "zh": "文本中含有不可见的控制字符，以 U+XXXX 形式显示。",
    },
    "text.model_failed": {"en": "The model could not run: {reason}", "zh": "模型无法运行：{reason}"},
    # shared widgets
    "common.step": {"en": "Time step t", "zh": "时间步 t"},
    "common.unit": {"en": "Hidden unit", "zh": "隐藏单元"},
    "common.token": {"en": "token", "zh": "词元"},
    "common.download_figure": {"en": "Figure (HTML)", "zh": "图（HTML）"},
    "common.download_csv": {"en": "Data (CSV)", "zh": "数据（CSV）"},
    "common.download_npz": {"en": "Data (NPZ)", "zh": "数据（NPZ）"},
    "common.not_lstm": {
        "en": "This view needs an LSTM; the current model is a {kind}.",
        "zh": "该视图需要 LSTM 模型；当前模型是 {kind}。",
    },
    "common.downsampled": {
        "en": "Showing {shown} of {total} {what} (downsampled to keep the page fast).",
        "zh": "显示 {total} 个{what}中的 {shown} 个（已降采样以保证页面流畅）。",
    },
    "common.units": {"en": "units", "zh": "单元"},
    "common.steps": {"en": "time steps", "zh": "时间步"},
    "common.bad_url": {
        "en": "Some settings in the link were invalid and were replaced by defaults: {names}.",
        "zh": "链接中的部分设置无效，已替换为默认值：{names}。",
    },
    # the demo server's compute budget (lstm_viz/ui/budget.py)
    "budget.tokens": {
        "en": "This network ({kind}, H = {H}, {cells} cell(s)) is too large for this page on the demo server: showing "
              "the first {kept} of {total} tokens, so that the page stays under {seconds} seconds.",
        "zh": "该网络（{kind}，H = {H}，{cells} 个单元）对演示服务器上的本页面来说过大：只显示 {total} 个词元中的前 {kept} 个，"
              "以使页面在 {seconds} 秒内完成。",
    },
    "budget.nonfinite": {
        "en": "The network's states overflow at step {step} (the largest value before it is {largest}): its weights are "
              "too large to compute with. Nothing is drawn, since the charts would only show NaN. Scale the weights "
              "down or upload another file.",
        "zh": "网络的状态在第 {step} 步溢出（此前的最大值为 {largest}）：权重过大，无法计算。为避免图表只显示 NaN，本页不作图。"
              "请缩小权重或上传其他文件。",
    },
    "budget.nonfinite_start": {
        "en": "The network's states overflow at its first step: its weights are too large to compute with. Nothing "
              "is drawn, since the charts would only show NaN. Scale the weights down or upload another file.",
        "zh": "网络的状态在第一步就溢出：权重过大，无法计算。为避免图表只显示 NaN，本页不作图。请缩小权重或上传其他文件。",
    },
    "budget.upload_hidden": {
        "en": "This network is too large for the demo server: hidden size H = {value}, at most {limit} units are "
              "served here. Using the random LSTM.",
        "zh": "该网络对演示服务器来说过大：隐藏层大小 H = {value}，这里最多支持 {limit} 个单元。改用随机 LSTM。",
    },
    "budget.upload_parameters": {
        "en": "This network is too large for the demo server: {value} parameters, at most {limit} are served here. "
              "Using the random LSTM.",
        "zh": "该网络对演示服务器来说过大：共 {value} 个参数，这里最多支持 {limit} 个。改用随机 LSTM。",
    },
    "budget.upload_uncompressed": {
        "en": "This weight file is too large for the demo server: it unpacks to {value_mb} MB, at most {limit_mb} MB "
              "are accepted here. Using the random LSTM.",
        "zh": "该权重文件对演示服务器来说过大：解压后为 {value_mb} MB，这里最多接受 {limit_mb} MB。改用随机 LSTM。",
    },
    "budget.upload_file": {
        "en": "This weight file is too large: {value_mb} MB, at most {limit_mb} MB are accepted. Using the random LSTM.",
        "zh": "该权重文件过大：{value_mb} MB，最多接受 {limit_mb} MB。改用随机 LSTM。",
    },
    "budget.chain_too_large": {
        "en": "The Jacobian chains are left out for this network: at H = {H} even {min_steps} steps of them (an H×H "
              "product and singular value decomposition per step and model) would take more than {seconds} seconds "
              "on the demo server. A hidden size of {fits} or less shows them.",
        "zh": "该网络的雅可比链被省略：H = {H} 时，即使只算 {min_steps} 步（每步每个模型一次 H×H 乘积和奇异值分解），"
              "在演示服务器上也要超过 {seconds} 秒。隐藏层大小不超过 {fits} 时会显示。",
    },
    "budget.window": {
        "en": "To stay within the demo server's budget ({seconds} s per page), this part uses {shown} of {total} "
              "steps at H = {H}.",
        "zh": "为不超出演示服务器的预算（每页 {seconds} 秒），本部分在 H = {H} 时只使用 {total} 步中的 {shown} 步。",
    },
}
