"""Strings of the Train page (English / 中文)."""

STRINGS = {
    "train.title": {"en": "Train: RNN vs LSTM vs GRU on long lags", "zh": "训练：长时滞任务上的 RNN、LSTM 与 GRU"},
    "train.intro": {
        "en": "Train small networks from scratch on tasks where the answer depends on something seen many steps "
              "earlier (Hochreiter & Schmidhuber 1997). A plain RNN's gradient fades over the lag, so it stays near "
              "the baseline; the LSTM's cell state carries the information across.",
        "zh": "从零开始训练小型网络，任务的答案取决于很多步之前看到的信息（Hochreiter & Schmidhuber 1997）。"
              "普通 RNN 的梯度会随时滞衰减，因此停留在基线附近；LSTM 的细胞状态能把信息一直传递过去。",
    },
    "train.settings": {"en": "Training settings", "zh": "训练设置"},
    "train.task": {"en": "Task", "zh": "任务"},
    "train.task.adding": {"en": "Adding problem", "zh": "加法问题"},
    "train.task.first_symbol": {"en": "Remember the first symbol", "zh": "记住第一个符号"},
    "train.task.brackets": {"en": "Balanced brackets", "zh": "括号是否配对"},
    "train.task_help.adding": {
        "en": "Each step gets a number in [0, 1] and a marker. Two numbers are marked (one in each half); the target "
              "is their sum, read after the last step. Always answering 1.0 gives MSE ≈ 0.167.",
        "zh": "每一步输入一个 [0, 1] 区间的数和一个标记。其中两个数被标记（前后半段各一个）；目标是它们的和，"
              "在最后一步之后读出。总是回答 1.0 的均方误差约为 0.167。",
    },
    "train.task_help.first_symbol": {
        "en": "A string starts with one of A, B, C, D, followed by distractor letters a–h. After the last character "
              "the network must name the first one. Guessing gives 25 % accuracy. The lag is the same in every "
              "example, so there is no short-lag case to learn from first, and at T = 50 the outcome depends on the "
              "model and the seed (at T = 50, H = 32, 1,500 steps, lr 0.01: GRU 100 %, RNN 66 %, LSTM stayed at chance: its forget "
              "gates start at σ(1) ≈ 0.73, and 0.73⁴⁹ ≈ 2·10⁻⁷ of the learning signal crosses the lag). Try a shorter lag first.",
        "zh": "字符串以 A、B、C、D 之一开头，后面跟着干扰字母 a–h。读完最后一个字符后，网络必须说出第一个字符。"
              "随机猜测的准确率为 25%。每个样本的时滞都相同，没有可以先学会的短时滞样本；T = 50 时结果取决于模型和随机种子"
              "（T = 50、H = 32、1500 步、学习率 0.01 时：GRU 100%，RNN 66%，LSTM 停留在随机水平：它的遗忘门初始约为 σ(1) ≈ 0.73，"
              "学习信号穿过整个时滞后只剩 0.73⁴⁹ ≈ 2·10⁻⁷）。请先尝试较短的时滞。",
    },
    "train.task_help.brackets": {
        "en": "A string of ( and ). The network says whether the brackets are balanced; the unbalanced examples are "
              "near misses of balanced ones. Guessing gives 50 % accuracy.",
        "zh": "由 ( 和 ) 组成的字符串。网络判断括号是否配对；不配对的样本只与配对的样本相差一点。随机猜测的准确率为 50%。",
    },
    "train.length": {"en": "Sequence length T (the lag)", "zh": "序列长度 T（时滞）"},
    "train.length_help": {
        "en": "How many steps the network has to carry the information. With the defaults (adding problem, T = 20, "
              "500 steps) the GRU and the LSTM learn and the RNN stays at the baseline; longer lags need many more "
              "steps (at T = 50 the LSTM needs well over 500).",
        "zh": "网络需要把信息携带多少步。默认设置下（加法问题，T = 20，500 步）GRU 和 LSTM 能学会，RNN 停留在基线附近；"
              "时滞越长需要的步数越多（T = 50 时 LSTM 需要远多于 500 步）。",
    },
    "train.models": {"en": "Models", "zh": "模型"},
    "train.models_empty": {"en": "Pick at least one model.", "zh": "请至少选择一个模型。"},
    "train.hidden": {"en": "Hidden size H", "zh": "隐藏层大小 H"},
    "train.steps": {"en": "Training steps (batches of 32)", "zh": "训练步数（每批 32 条序列）"},
    "train.lr": {"en": "Learning rate (Adam)", "zh": "学习率（Adam）"},
    "train.clip": {"en": "Clip the gradient norm at 1.0", "zh": "将梯度范数裁剪到 1.0"},
    "train.clip_help": {
        "en": "Rescale the whole gradient when its norm exceeds 1.0 (Pascanu et al. 2013); protects against exploding gradients.",
        "zh": "当梯度范数超过 1.0 时整体缩放梯度（Pascanu 等 2013），防止梯度爆炸。",
    },
    "train.forget_bias": {"en": "LSTM forget-gate bias 1.0 (off: 0.0)", "zh": "LSTM 遗忘门偏置 1.0（关闭：0.0）"},
    "train.forget_bias_help": {
        "en": "A forget bias of 1.0 keeps the forget gate open at the start (Gers et al. 2000; Jozefowicz et al. 2015), "
              "so the cell remembers by default.",
        "zh": "遗忘门偏置为 1.0 时，训练开始时遗忘门基本是打开的（Gers 等 2000；Jozefowicz 等 2015），细胞默认会记住信息。",
    },
    "train.seed": {"en": "Random seed", "zh": "随机种子"},
    "train.expected_time": {
        "en": "Expected time: about {seconds} s ({steps} steps × {models} model(s); measured on this server, "
              "which is shared, so it may take longer).",
        "zh": "预计用时：约 {seconds} 秒（{steps} 步 × {models} 个模型；在本服务器上测得，服务器为共享资源，实际可能更久）。",
    },
    "train.capped": {
        "en": "Each model stops after at most {seconds} s so the page stays responsive.",
        "zh": "为保持页面响应，每个模型最多训练 {seconds} 秒。",
    },
    "train.start": {"en": "Train", "zh": "开始训练"},
    "train.stop_hint": {
        "en": "Clicking any widget stops the run; the curves so far are kept.",
        "zh": "点击任意控件都会停止训练；已有的曲线会保留。",
    },
    "train.progress": {
        "en": "{model}: step {step} of {steps}, loss {loss}",
        "zh": "{model}：第 {step}/{steps} 步，损失 {loss}",
    },
    "train.finished": {"en": "Training finished in {seconds} s.", "zh": "训练完成，用时 {seconds} 秒。"},
    "train.stopped_time": {
        "en": "{model} stopped after the time limit ({steps} steps).",
        "zh": "{model} 达到时间上限后停止（{steps} 步）。",
    },
    "train.interrupted": {
        "en": "{model} was interrupted after {steps} steps; its test numbers are missing.",
        "zh": "{model} 在第 {steps} 步被中断；缺少它的测试结果。",
    },
    "train.diverged": {
        "en": "{model} diverged (the loss became infinite) after {steps} steps. Try gradient clipping or a smaller learning rate.",
        "zh": "{model} 在 {steps} 步后发散（损失变为无穷大）。请尝试梯度裁剪或更小的学习率。",
    },
    "train.not_learned.adding": {
        "en": "{model} did not learn the task in {steps} steps: its test MSE {loss} is not clearly below the {baseline} "
              "of always answering 1.0 (it counts as learned at {threshold} or less). It may need more steps (or a "
              "shorter lag, or another learning rate); over long lags a plain RNN often never gets there.",
        "zh": "{model} 在 {steps} 步内没有学会该任务：测试均方误差 {loss} 没有明显低于总是回答 1.0 的 {baseline}"
              "（不超过 {threshold} 才算学会）。它可能需要更多训练步数（或更短的时滞、别的学习率）；时滞较长时，普通 RNN 往往始终学不会。",
    },
    "train.not_learned.class": {
        "en": "{model} did not learn the task in {steps} steps: its test accuracy {accuracy} is not clearly above "
              "chance ({chance}; it counts as learned at {threshold} or more). It may need more steps (or a shorter "
              "lag, or another learning rate); over long lags a plain RNN often never gets there.",
        "zh": "{model} 在 {steps} 步内没有学会该任务：测试准确率 {accuracy} 没有明显高于随机猜测（{chance}；"
              "达到 {threshold} 及以上才算学会）。它可能需要更多训练步数（或更短的时滞、别的学习率）；时滞较长时，普通 RNN 往往始终学不会。",
    },
    "train.not_learned_tag": {"en": " (did not learn)", "zh": "（未学会）"},
    "train.stored_not_learned": {
        "en": "Stored “{name}”, but it did not learn its task: on the other pages it shows what an untrained network "
              "does, not a working one. Train it for more steps (or pick a network that learned). Example input:",
        "zh": "已保存“{name}”，但它没有学会任务：在其他页面中看到的是未训练网络的行为，而不是一个能工作的网络。"
              "请训练更多步数（或选择一个学会了的网络）。示例输入：",
    },
    "train.col.learned": {"en": "learned?", "zh": "学会了？"},
    "train.learned.yes": {"en": "yes", "zh": "是"},
    "train.learned.no": {"en": "no (see the note above)", "zh": "否（见上方说明）"},
    "train.no_results": {
        "en": "Choose the settings and press Train. The curves appear here while the models learn.",
        "zh": "选择设置后点击“开始训练”。模型学习时，曲线会显示在这里。",
    },
    "train.curves": {"en": "Learning curves", "zh": "学习曲线"},
    "train.curves_caption": {
        "en": "Left: training loss (log scale, smoothed). Right: {metric} on the training batches. Dashed: {reference}.",
        "zh": "左：训练损失（对数坐标，已平滑）。右：训练批次上的{metric}。虚线：{reference}。",
    },
    "train.loss.mse": {"en": "mean squared error", "zh": "均方误差"},
    "train.loss.ce": {"en": "cross-entropy", "zh": "交叉熵"},
    "train.metric.adding": {"en": "share within ±0.04", "zh": "误差在 ±0.04 以内的比例"},
    "train.metric.accuracy": {"en": "accuracy", "zh": "准确率"},
    "train.step_axis": {"en": "training step", "zh": "训练步"},
    "train.baseline": {"en": "always answer 1.0 (MSE 0.167)", "zh": "总是回答 1.0（均方误差 0.167）"},
    "train.chance": {"en": "chance", "zh": "随机猜测"},
    "train.results": {"en": "Final numbers (fresh test batch of 512)", "zh": "最终结果（新的 512 条测试序列）"},
    "train.col.model": {"en": "model", "zh": "模型"},
    "train.col.loss": {"en": "test loss", "zh": "测试损失"},
    "train.col.metric": {"en": "test {metric}", "zh": "测试{metric}"},
    "train.col.steps": {"en": "steps", "zh": "步数"},
    "train.col.seconds": {"en": "seconds", "zh": "秒"},
    "train.col.params": {"en": "parameters", "zh": "参数量"},
    "train.use_network": {"en": "Network for the other pages", "zh": "供其他页面使用的网络"},
    "train.use_network_help": {
        "en": "The sidebar offers this network as the model source “network from the Train page”. Type inputs in the task's text form.",
        "zh": "侧边栏会把这个网络作为模型来源“训练页面训练的网络”提供。请按任务的文本格式输入。",
    },
    "train.stored": {
        "en": "Stored “{name}”. Pick “network from the Train page” in the sidebar to look inside it; example input:",
        "zh": "已保存“{name}”。在侧边栏选择“训练页面训练的网络”即可查看其内部；示例输入：",
    },
    "train.show_elsewhere": {
        "en": "Show it on the other pages (switch the sidebar to this network and its example input)",
        "zh": "在其他页面中查看（把侧边栏切换到该网络及其示例输入）",
    },
    "train.class.balanced": {"en": "balanced", "zh": "配对"},
    "train.class.unbalanced": {"en": "unbalanced", "zh": "不配对"},
    "train.try": {"en": "Try the trained network", "zh": "试一试训练好的网络"},
    "train.try_input": {"en": "Input in the task's text form", "zh": "按任务文本格式输入"},
    "train.try_format.adding": {
        "en": "Numbers between 0 and 1 separated by spaces; mark two with *, e.g. 0.42 0.17* 0.80 0.05*",
        "zh": "用空格分隔的 0 到 1 之间的数；用 * 标记其中两个，例如 0.42 0.17* 0.80 0.05*",
    },
    "train.try_format.first_symbol": {
        "en": "One of A B C D first, then letters a–h, e.g. Cabhgfe",
        "zh": "先写 A B C D 中的一个，再写字母 a–h，例如 Cabhgfe",
    },
    "train.try_format.brackets": {"en": "Only ( and ), e.g. (()())", "zh": "只含 ( 和 )，例如 (()())"},
    "train.prediction.adding": {
        "en": "Prediction {prediction:.3f}, true sum {target:.3f}.",
        "zh": "预测值 {prediction:.3f}，真实的和为 {target:.3f}。",
    },
    "train.prediction.class": {
        "en": "Prediction “{prediction}” (probability {probability:.0%}); correct answer “{target}”.",
        "zh": "预测为“{prediction}”（概率 {probability:.0%}）；正确答案为“{target}”。",
    },
    "train.prediction.no_target": {
        "en": "Prediction “{prediction}” (probability {probability:.0%}).",
        "zh": "预测为“{prediction}”（概率 {probability:.0%}）。",
    },
    "train.bad_input": {"en": "This input cannot be used: {reason}", "zh": "无法使用该输入：{reason}"},
    "train.download_name": {"en": "training_curves", "zh": "training_curves"},
}
