<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActionForm</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Send to the hub (Ctrl+Enter)</source>
        <translation>发送到服务端（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Too long: %1 characters, at most %2.</source>
        <translation>过长：%1个字符，最多%2个。</translation>
    </message>
    <message>
        <source>Not valid: %1</source>
        <translation>无效：%1</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>No answer from the hub for %1 s: the action is kept and sent again; the hub applies it only once. You may close this form.</source>
        <translation>服务端 %1 秒未应答：该操作已保存并重新发送，服务端只会执行一次。可以关闭此表单。</translation>
    </message>
    <message>
        <source>Refused by the hub: %1</source>
        <translation>服务端拒绝：%1</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Required: why</source>
        <translation>必填：原因</translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation>必须填写理由。</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>延期时长</translation>
    </message>
    <message>
        <source>Required: why it needs longer</source>
        <translation>必填：需要延期的原因</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Required when the answer is no</source>
        <translation>选“否”时必填</translation>
    </message>
    <message>
        <source>Choose one: %1 or %2.</source>
        <translation>请选择一项：%1或%2。</translation>
    </message>
    <message>
        <source>Choose the case it duplicates</source>
        <translation>选择与之重复的案件</translation>
    </message>
    <message>
        <source>Duplicate of</source>
        <translation>重复于</translation>
    </message>
    <message>
        <source>No open case with the same address, grid or committee in 30 days.</source>
        <translation>30天内没有同一地址、网格或居村委的在办案件。</translation>
    </message>
    <message>
        <source>Choose the case it duplicates.</source>
        <translation>请选择与之重复的案件。</translation>
    </message>
    <message>
        <source>Lead unit</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <source>Optional: instructions to the unit</source>
        <translation>选填：给单位的处置要求</translation>
    </message>
    <message>
        <source>Choose the lead unit from the list.</source>
        <translation>请从列表中选择主办单位。</translation>
    </message>
    <message>
        <source>no unit yet</source>
        <translation>尚无单位</translation>
    </message>
    <message>
        <source>Against %1</source>
        <translation>针对%1</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Required: what is expected, by when</source>
        <translation>必填：要求做什么、何时完成</translation>
    </message>
    <message>
        <source>Formal supervision needs a note.</source>
        <translation>正式督办必须填写备注。</translation>
    </message>
    <message>
        <source>Passed: close the case</source>
        <translation>通过：结案</translation>
    </message>
    <message>
        <source>Failed: back to the unit</source>
        <translation>不通过：退回单位</translation>
    </message>
    <message>
        <source>Say what is still wrong.</source>
        <translation>请说明仍存在的问题。</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Not satisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Note what the requester is not satisfied with.</source>
        <translation>请记录诉求人不满意之处。</translation>
    </message>
    <message>
        <source>Reopens the case once</source>
        <translation>将重新办理一次</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>不同意</translation>
    </message>
    <message>
        <source>Say why it is refused.</source>
        <translation>请说明不同意的理由。</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Photos are still being prepared: send again in a moment.</source>
        <translation>照片仍在处理中：请稍后再发送。</translation>
    </message>
    <message>
        <source>Photos before</source>
        <translation>处置前照片</translation>
    </message>
    <message>
        <source>Required: what was done</source>
        <translation>必填：处置情况</translation>
    </message>
    <message>
        <source>Photos after</source>
        <translation>处置后照片</translation>
    </message>
    <message>
        <source>Say what was done.</source>
        <translation>请说明处置情况。</translation>
    </message>
</context>
<context>
    <name>AlarmTile</name>
    <message>
        <source>Lines per officer per 10 min</source>
        <translation>每名值班员每10分钟告警条数</translation>
    </message>
    <message>
        <source>10-min windows in flood</source>
        <translation>处于告警泛滥的10分钟时段</translation>
    </message>
    <message>
        <source>Unacknowledged over 30 min</source>
        <translation>超过30分钟未确认</translation>
    </message>
    <message>
        <source>Most frequent alerts (fix at the source)</source>
        <translation>最频繁的告警（应从源头整治）</translation>
    </message>
    <message>
        <source>Alarm load of the centre&apos;s duty desk, since {time}</source>
        <translation>中心值班席告警负荷（自{time}起）</translation>
    </message>
    <message>
        <source>{value} (target ≤ {target}, manageable ≤ {most})</source>
        <translation>{value}（目标 ≤ {target}，可承受 ≤ {most}）</translation>
    </message>
    <message>
        <source>{value} % (target &lt; {target} %)</source>
        <translation>{value} %（目标 &lt; {target} %）</translation>
    </message>
    <message>
        <source>{count} × {alert} · {unit}</source>
        <translation>{count} × {alert} · {unit}</translation>
    </message>
    <message>
        <source>No alerts yet</source>
        <translation>暂无告警</translation>
    </message>
</context>
<context>
    <name>AlertSound</name>
    <message>
        <source>Alerts are silent: {problem}, and no sound player ({players}) was found</source>
        <translation>告警无声：{problem}，且未找到声音播放程序（{players}）</translation>
    </message>
    <message>
        <source>Qt Multimedia cannot load</source>
        <translation>Qt 多媒体模块无法加载</translation>
    </message>
    <message>
        <source>Qt finds no audio output</source>
        <translation>Qt 未找到音频输出设备</translation>
    </message>
</context>
<context>
    <name>AlertTreeModel</name>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>red</source>
        <translation>红灯</translation>
    </message>
    <message>
        <source>orange</source>
        <translation>橙灯</translation>
    </message>
    <message>
        <source>yellow</source>
        <translation>黄灯</translation>
    </message>
    <message>
        <source>overall limit</source>
        <translation>处置时限</translation>
    </message>
    <message>
        <source>step limit</source>
        <translation>环节时限</translation>
    </message>
    <message>
        <source>reminded</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>urged</source>
        <translation>催办</translation>
    </message>
    <message>
        <source>supervised</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>held to account</source>
        <translation>问效</translation>
    </message>
    <message>
        <source>every timer alert</source>
        <translation>所有计时告警</translation>
    </message>
    <message>
        <source>every supervision alert</source>
        <translation>所有督办告警</translation>
    </message>
    <message>
        <source>every return alert</source>
        <translation>所有退单告警</translation>
    </message>
    <message>
        <source>in {street}</source>
        <translation>，位于{street}</translation>
    </message>
    <message>
        <source>in {street} and 1 other street</source>
        <translation>，涉及{street}及另外1个街镇</translation>
    </message>
    <message>
        <source>in {street} and {others} other streets</source>
        <translation>，涉及{street}及其他{others}个街镇</translation>
    </message>
    <message>
        <source>red for an hour</source>
        <translation>红色已满一小时</translation>
    </message>
    <message>
        <source>many red cases ({unit})</source>
        <translation>红色案件过多（{unit}）</translation>
    </message>
    <message>
        <source>{level} ({timer})</source>
        <translation>{level}（{timer}）</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>returned again</source>
        <translation>再次退单</translation>
    </message>
    <message>
        <source>Flood: {count} alerts — {keys}</source>
        <translation>告警泛滥：{count}条 — {keys}</translation>
    </message>
    <message>
        <source>Emergency {emergency}: {count} alerts — {keys}</source>
        <translation>突发事件 {emergency}：{count}条告警 — {keys}</translation>
    </message>
    <message>
        <source>Shelved: {count} alerts — {keys}</source>
        <translation>已搁置：{count}条告警 — {keys}</translation>
    </message>
    <message>
        <source>Shelved by {user} until {time} ({what}): {reason} — {count} alerts held</source>
        <translation>{user}搁置至{time}（{what}）：{reason} — 暂存{count}条告警</translation>
    </message>
    <message>
        <source>{count} cases turned {level} ({timer}) {where}</source>
        <translation>{count}件案件转为{level}（{timer}）{where}</translation>
    </message>
    <message>
        <source>{serial} turned {level} ({timer}) {where}</source>
        <translation>{serial}转为{level}（{timer}）{where}</translation>
    </message>
    <message>
        <source>{count} cases {action} {where}</source>
        <translation>{count}件案件已{action}{where}</translation>
    </message>
    <message>
        <source>{serial} {action} by {actor}: {note}</source>
        <translation>{serial}由{actor}{action}：{note}</translation>
    </message>
    <message>
        <source>{serial} {action} by {actor}</source>
        <translation>{serial}由{actor}{action}</translation>
    </message>
    <message>
        <source>{count} cases returned again, awaiting arbitration {where}</source>
        <translation>{count}件案件再次退单，待仲裁{where}</translation>
    </message>
    <message>
        <source>{count} cases returned {where}</source>
        <translation>{count}件案件被退单{where}</translation>
    </message>
    <message>
        <source>{serial} returned again, awaiting arbitration: {reason}</source>
        <translation>{serial}再次退单，待仲裁：{reason}</translation>
    </message>
    <message>
        <source>{serial} returned by {unit}: {reason}</source>
        <translation>{serial}被{unit}退单：{reason}</translation>
    </message>
    <message>
        <source>Shelved until {time}</source>
        <translation>搁置至{time}</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Refused: {message}</source>
        <translation>被拒绝：{message}</translation>
    </message>
    <message>
        <source>Escalated: sounded {times} times, not acknowledged</source>
        <translation>已升级：已鸣响{times}次，仍未确认</translation>
    </message>
    <message>
        <source>{done} of {count} acknowledged</source>
        <translation>已确认{done}/{count}</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新</translation>
    </message>
    <message>
        <source>Acknowledged by {user} at {time}</source>
        <translation>{user}于{time}确认</translation>
    </message>
</context>
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Comment (optional)</source>
        <translation>备注（选填）</translation>
    </message>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>确认(&amp;A)</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert (a group: all its cases)</source>
        <translation>确认所选告警（汇总告警则确认其全部案件）</translation>
    </message>
    <message>
        <source>Shel&amp;ve…</source>
        <translation>搁置(&amp;V)…</translation>
    </message>
    <message>
        <source>Shelve the selected alert on this desk for a while, with a reason (Ctrl+Shift+S)</source>
        <translation>在本席位暂时搁置所选告警，须填写理由（Ctrl+Shift+S）</translation>
    </message>
    <message>
        <source>Shelved on this desk: {what} until {time} ({user}: {reason})</source>
        <translation>本席位已搁置：{what}，至{time}（{user}：{reason}）</translation>
    </message>
    <message>
        <source>No unacknowledged alerts</source>
        <translation>无未确认告警</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>{count} unacknowledged, {critical} critical</source>
        <translation>{count}条未确认，其中{critical}条紧急</translation>
    </message>
    <message>
        <source>Alerts ({count} new)</source>
        <translation>告警（新{count}条）</translation>
    </message>
    <message>
        <source>CRITICAL ALERT: {title}</source>
        <translation>紧急告警：{title}</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>声音已关闭</translation>
    </message>
    <message>
        <source>Alert sounds are muted; click to hear them again</source>
        <translation>告警声音已静音，点击恢复</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>声音已开启</translation>
    </message>
    <message>
        <source>Click to mute the alert sounds</source>
        <translation>点击关闭告警声音</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Shelve…</source>
        <translation>搁置…</translation>
    </message>
    <message>
        <source>Show the case</source>
        <translation>查看案件</translation>
    </message>
</context>
<context>
    <name>Analysis</name>
    <message>
        <source>&amp;Analysis</source>
        <translation>分析研判(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Hot spots, recurring problems, trends…</source>
        <translation>热点、高发问题、趋势(&amp;H)…</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Enter or double-click: open the case</source>
        <translation>回车或双击：打开案件</translation>
    </message>
    <message>
        <source>not held by this console</source>
        <translation>本控制台未持有</translation>
    </message>
    <message>
        <source>%1 % confidence</source>
        <translation>置信度 %1 %</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新出现</translation>
    </message>
    <message>
        <source>up</source>
        <translation>上升</translation>
    </message>
    <message>
        <source>down</source>
        <translation>下降</translation>
    </message>
    <message>
        <source>same</source>
        <translation>持平</translation>
    </message>
    <message>
        <source>%1 %2, significant</source>
        <translation>%1 %2，显著</translation>
    </message>
    <message>
        <source>%1 %2, within chance</source>
        <translation>%1 %2，在随机波动范围内</translation>
    </message>
    <message>
        <source>Analysis: hot spots, recurring problems, trends</source>
        <translation>分析研判：热点、高发问题、趋势</translation>
    </message>
    <message>
        <source>last %1 days</source>
        <translation>近 %1 天</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>时间窗(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Ask the hub again (F5)</source>
        <translation>重新向服务端查询（F5）</translation>
    </message>
    <message>
        <source>&amp;Hot spots</source>
        <translation>热点(&amp;H)</translation>
    </message>
    <message>
        <source>Re&amp;curring problems</source>
        <translation>高发问题(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Trends</source>
        <translation>趋势(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Units</source>
        <translation>单位(&amp;U)</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件数</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>期望值</translation>
    </message>
    <message>
        <source>vs usual</source>
        <translation>较常态</translation>
    </message>
    <message>
        <source>Gi* z</source>
        <translation>Gi* z 值</translation>
    </message>
    <message>
        <source>Significance</source>
        <translation>显著性</translation>
    </message>
    <message>
        <source>Mostly</source>
        <translation>主要类别</translation>
    </message>
    <message>
        <source>by grid</source>
        <translation>按网格</translation>
    </message>
    <message>
        <source>by address</source>
        <translation>按地址</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>天数</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>First</source>
        <translation>首次</translation>
    </message>
    <message>
        <source>Latest</source>
        <translation>最近</translation>
    </message>
    <message>
        <source>&amp;Place:</source>
        <translation>地点(&amp;P)：</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>Weekly before</source>
        <translation>此前周均</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Weeks (oldest → this)</source>
        <translation>各周（最早 → 本周）</translation>
    </message>
    <message>
        <source>Street / town</source>
        <translation>街道 / 镇</translation>
    </message>
    <message>
        <source>Asking the hub…</source>
        <translation>正在向服务端查询…</translation>
    </message>
    <message>
        <source>Your role may not ask for this analysis.</source>
        <translation>您的角色无权查询此项分析。</translation>
    </message>
    <message>
        <source>The hub did not answer: %1</source>
        <translation>服务端未应答：%1</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>Window %1: %2 cases in %3 grids, against %4 in the %5 weeks before: too little history, so each grid is compared with the area&apos;s average grid. %6 hot spots (Getis-Ord Gi* and a Poisson test against the average, false discovery rate %7 %).</source>
        <translation>时间窗 %1：%3 个网格内 %2 件案件，此前 %5 周为 %4 件：历史数据不足，因此各网格与区域内平均网格比较。热点 %6 个（Getis-Ord Gi* 与相对平均值的泊松检验，错误发现率 %7 %）。</translation>
    </message>
    <message>
        <source>Window %1: %2 cases in %3 grids, against %4 in the %5 weeks before. %6 hot spots (Getis-Ord Gi* and each grid&apos;s own history, false discovery rate %7 %).</source>
        <translation>时间窗 %1：%3 个网格内 %2 件案件，此前 %5 周为 %4 件。热点 %6 个（Getis-Ord Gi* 与各网格自身历史比较，错误发现率 %7 %）。</translation>
    </message>
    <message>
        <source>No grid is significantly above its own history and its neighbours&apos; in this window.</source>
        <translation>此时间窗内没有网格显著高于其自身历史和相邻网格。</translation>
    </message>
    <message>
        <source>The %1 cases behind %2 (Enter opens one in the case drill-down):</source>
        <translation>%2 的 %1 件案件（回车在案件详情中打开）：</translation>
    </message>
    <message>
        <source>Boundary: %1</source>
        <translation>边界：%1</translation>
    </message>
    <message>
        <source>Hot spot (numbered by rank)</source>
        <translation>热点（按排名编号）</translation>
    </message>
    <message>
        <source>Selected: %1</source>
        <translation>已选：%1</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Same category at the same %1, at least 3 cases on 2 days or more, %2 to %3: %4 pairs; most first.</source>
        <translation>同一%1同一类别，至少 3 件且分布在 2 天以上，%2 至 %3：共 %4 组，按案件数排序。</translation>
    </message>
    <message>
        <source>This week (%1 to %2): %3 cases, against %4 a week in the %5 weeks before. Significant: a change that week-to-week chance does not explain (Poisson, p &lt; 0.05).</source>
        <translation>本周（%1 至 %2）：%3 件案件，此前 %5 周每周 %4 件。显著：周间随机波动无法解释的变化（泊松检验，p &lt; 0.05）。</translation>
    </message>
    <message>
        <source>(not dispatched)</source>
        <translation>（未派遣）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Closure rate</source>
        <translation>结案率</translation>
    </message>
    <message>
        <source>On-time closure rate</source>
        <translation>按时结案率</translation>
    </message>
    <message>
        <source>Median handling time</source>
        <translation>处置用时中位数</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>Per unit, over the %1 cases this console holds (drills, rejected and merged cases left out): closure rate = closed ÷ received; on time = closed by the case&apos;s overall due time (a case with no limit counts as on time) ÷ closed; handling time from received to closed. The figures of File ▸ Export ▸ KPIs per unit.</source>
        <translation>按单位统计，基于本控制台持有的 %1 件案件（不含演练、不予受理及已合并案件）：结案率 = 结案数 ÷ 受理数；按时结案 = 在案件总时限内结案数 ÷ 结案数（无时限案件计为按时）；处置用时自受理至结案。与“文件 ▸ 导出 ▸ 各单位考核指标”的数字相同。</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <source>Sign for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Return (not ours)</source>
        <translation>退单（非本单位职责）</translation>
    </message>
    <message>
        <source>Start handling</source>
        <translation>开始处置</translation>
    </message>
    <message>
        <source>Report back</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Ask for more time</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Merge as duplicate</source>
        <translation>合并（重复件）</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>不予立案</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Designate</source>
        <translation>指定派遣</translation>
    </message>
    <message>
        <source>Arbitrate</source>
        <translation>仲裁</translation>
    </message>
    <message>
        <source>Transfer to 110</source>
        <translation>转110</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Decide extension</source>
        <translation>延期审批</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Remind</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Urge</source>
        <translation>催办</translation>
    </message>
    <message>
        <source>Supervise</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Hold to account</source>
        <translation>问效</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>不予立案</translation>
    </message>
    <message>
        <source>Merged as duplicate</source>
        <translation>合并（重复件）</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Signed for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>Arbitrated</source>
        <translation>仲裁</translation>
    </message>
    <message>
        <source>Handling started</source>
        <translation>开始处置</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Verified: passed</source>
        <translation>核查：通过</translation>
    </message>
    <message>
        <source>Verified: failed</source>
        <translation>核查：不通过</translation>
    </message>
    <message>
        <source>Called back: satisfied</source>
        <translation>回访：满意</translation>
    </message>
    <message>
        <source>Called back: not satisfied</source>
        <translation>回访：不满意</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Transferred to 110</source>
        <translation>转110</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Extension requested</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>Extension approved</source>
        <translation>同意延期</translation>
    </message>
    <message>
        <source>Extension refused</source>
        <translation>不同意延期</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>by law (法定)</source>
        <translation>法定</translation>
    </message>
    <message>
        <source>by agreement (商定)</source>
        <translation>商定</translation>
    </message>
    <message>
        <source>designated by the centre (指定)</source>
        <translation>指定</translation>
    </message>
    <message>
        <source>Awaiting arbitration</source>
        <translation>待仲裁</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <source>Extended</source>
        <translation>已延期</translation>
    </message>
    <message>
        <source>Verification failed once</source>
        <translation>曾核查不通过</translation>
    </message>
    <message>
        <source>Reminded</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Urged</source>
        <translation>催办</translation>
    </message>
    <message>
        <source>Supervised</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Held to account</source>
        <translation>问效</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Same address</source>
        <translation>同一地址</translation>
    </message>
    <message>
        <source>Same grid</source>
        <translation>同一网格</translation>
    </message>
    <message>
        <source>Same committee</source>
        <translation>同一居村委</translation>
    </message>
</context>
<context>
    <name>CaseDetailDock</name>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation>案件 %1</translation>
    </message>
</context>
<context>
    <name>CaseDetailPanel</name>
    <message>
        <source>Select a case in the queue to see its full story and act on it.</source>
        <translation>在队列中选择一个案件，查看其全过程并进行处置。</translation>
    </message>
    <message>
        <source>Timeline (%1)</source>
        <translation>办理过程（%1）</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>Supervision (%1)</source>
        <translation>督办记录（%1）</translation>
    </message>
    <message>
        <source>Related (%1)</source>
        <translation>关联案件（%1）</translation>
    </message>
    <message>
        <source>Photos (%1)</source>
        <translation>照片（%1）</translation>
    </message>
    <message>
        <source>Actions appear once the hub has said who you are.</source>
        <translation>服务端确认您的身份后将显示可用操作。</translation>
    </message>
    <message>
        <source>This role only watches: no actions.</source>
        <translation>此角色仅可查看，无可用操作。</translation>
    </message>
    <message>
        <source>The case is finished: nothing left to do at the centre.</source>
        <translation>案件已办结：中心无需再处理。</translation>
    </message>
    <message>
        <source>Nothing for the centre to do now: the case is with its unit.</source>
        <translation>当前中心无需操作：案件正由承办单位处置。</translation>
    </message>
    <message>
        <source>The case has changed: this action no longer applies.</source>
        <translation>案件已变化：此操作已不再适用。</translation>
    </message>
    <message>
        <source>The case has changed since this form opened: check the timeline before sending.</source>
        <translation>此表单打开后案件已有变化：发送前请先查看办理过程。</translation>
    </message>
    <message>
        <source>not sent: the console&apos;s event loop is not running</source>
        <translation>未发送：控制台的事件循环未运行</translation>
    </message>
    <message>
        <source>photo %1</source>
        <translation>照片 %1</translation>
    </message>
    <message>
        <source>✓ %1 %2: accepted by the hub.</source>
        <translation>✓ %1 %2：服务端已受理。</translation>
    </message>
    <message>
        <source>✕ %1 %2 refused by the hub: %3</source>
        <translation>✕ %1 %2 被服务端拒绝：%3</translation>
    </message>
</context>
<context>
    <name>CaseLists</name>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Against unit</source>
        <translation>针对单位</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>hub (automatic)</source>
        <translation>服务端（自动）</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Address and request</source>
        <translation>地址与诉求</translation>
    </message>
</context>
<context>
    <name>CaseMap</name>
    <message>
        <source>The district&apos;s map comes with the hub&apos;s answer</source>
        <translation>区域地图将随服务端的应答到达</translation>
    </message>
    <message>
        <source>Approximate areas · boundary: %1</source>
        <translation>区域为示意 · 边界：%1</translation>
    </message>
    <message>
        <source>Boundary: %1</source>
        <translation>边界：%1</translation>
    </message>
    <message>
        <source>%1 (approximate area) · %2, %3</source>
        <translation>%1（示意区域）· %2, %3</translation>
    </message>
</context>
<context>
    <name>CasePhotos</name>
    <message>
        <source>Before handling</source>
        <translation>处置前</translation>
    </message>
    <message>
        <source>After handling</source>
        <translation>处置后</translation>
    </message>
    <message>
        <source>No photos: a unit adds them when it starts handling and when it reports back.</source>
        <translation>暂无照片：单位在开始处置和反馈时上传照片。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>the hub&apos;s answer holds no image</source>
        <translation>服务端的应答中没有图像</translation>
    </message>
    <message>
        <source>Not shown: %1</source>
        <translation>无法显示：%1</translation>
    </message>
</context>
<context>
    <name>CaseSummary</name>
    <message>
        <source>DRILL 演练</source>
        <translation>演练</translation>
    </message>
    <message>
        <source>Step limit: time left for the current step</source>
        <translation>环节时限：当前环节剩余时间</translation>
    </message>
    <message>
        <source>Overall limit: time left to close the case</source>
        <translation>处置时限：距结案剩余时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>诉求人</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Lead unit</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <source>Co-units</source>
        <translation>协办单位</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>派遣依据</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>not satisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>no number given</source>
        <translation>未留号码</translation>
    </message>
    <message>
        <source>(masked for this role)</source>
        <translation>（此角色不可见完整号码）</translation>
    </message>
    <message>
        <source>received</source>
        <translation>受理于</translation>
    </message>
    <message>
        <source>grid %1</source>
        <translation>网格 %1</translation>
    </message>
    <message>
        <source>not dispatched</source>
        <translation>未派遣</translation>
    </message>
    <message>
        <source>no suggestion yet (given at registration)</source>
        <translation>暂无建议（立案时给出）</translation>
    </message>
    <message>
        <source>returned %1×</source>
        <translation>退单%1次</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重复件</translation>
    </message>
    <message>
        <source>Step: %1</source>
        <translation>环节：%1</translation>
    </message>
    <message>
        <source>no running limit</source>
        <translation>无计时</translation>
    </message>
    <message>
        <source>Overall: %1</source>
        <translation>处置：%1</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已挂起</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>%1到期</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>Serial no.</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Street/town</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Step time left</source>
        <translation>环节剩余时限</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时限</translation>
    </message>
</context>
<context>
    <name>CategoryPicker</name>
    <message>
        <source>Name, code or pinyin initials (e.g. ljt)</source>
        <translation>名称、代码或拼音首字母（如 ljt）</translation>
    </message>
</context>
<context>
    <name>CommandMarks</name>
    <message>
        <source>⧗ sending</source>
        <translation>⧗ 发送中</translation>
    </message>
    <message>
        <source>⚠ refused</source>
        <translation>⚠ 被拒绝</translation>
    </message>
    <message>
        <source>Not yet confirmed by the hub: %1</source>
        <translation>服务端尚未确认：%1</translation>
    </message>
    <message>
        <source>The hub refused %1 (%2): %3</source>
        <translation>服务端拒绝%1（%2）：%3</translation>
    </message>
    <message>
        <source>register</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>reject</source>
        <translation>不予立案</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>sign for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>return</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>arbitrate</source>
        <translation>仲裁</translation>
    </message>
    <message>
        <source>start handling</source>
        <translation>开始处置</translation>
    </message>
    <message>
        <source>feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>verify</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>call back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>escalate</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>转110</translation>
    </message>
    <message>
        <source>suspend</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>request an extension</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>decide on the extension</source>
        <translation>延期审批</translation>
    </message>
    <message>
        <source>supervise</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>acknowledge the alert</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <source>someone acted first</source>
        <translation>他人已先行操作</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>无权限</translation>
    </message>
    <message>
        <source>not possible in this state</source>
        <translation>当前状态下不可操作</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>invalid input</source>
        <translation>输入无效</translation>
    </message>
    <message>
        <source>unknown command</source>
        <translation>未知命令</translation>
    </message>
    <message>
        <source>hub error</source>
        <translation>服务端错误</translation>
    </message>
</context>
<context>
    <name>ConnectionStatusBar</name>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s</source>
        <translation>%1 秒后重连</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>已停止：%1</translation>
    </message>
    <message>
        <source>No event yet</source>
        <translation>尚无事件</translation>
    </message>
    <message>
        <source>Last event %1 s ago</source>
        <translation>最近事件 %1 秒前</translation>
    </message>
    <message>
        <source>Last event %1 min ago</source>
        <translation>最近事件 %1 分钟前</translation>
    </message>
    <message>
        <source>Hub %1</source>
        <translation>服务端 %1</translation>
    </message>
    <message>
        <source>Role: %1</source>
        <translation>角色：%1</translation>
    </message>
    <message>
        <source>Cases %1</source>
        <translation>案件 %1</translation>
    </message>
    <message>
        <source>Seq %1</source>
        <translation>事件序号 %1</translation>
    </message>
    <message>
        <source>Console errors: %1</source>
        <translation>控制台错误：%1</translation>
    </message>
</context>
<context>
    <name>ConsoleApp</name>
    <message>
        <source>A local file of this workstation could not be read and was set aside; see the log.</source>
        <translation>本工作站有一个本地文件无法读取，已将其移开另存；详见日志。</translation>
    </message>
</context>
<context>
    <name>DeskOrders</name>
    <message>
        <source>Report on %1</source>
        <translation>报告 %1 执行情况</translation>
    </message>
    <message>
        <source>Send report</source>
        <translation>发送报告</translation>
    </message>
    <message>
        <source>Directive</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Write what you report.</source>
        <translation>请填写报告内容。</translation>
    </message>
    <message>
        <source>Task: %1</source>
        <translation>任务：%1</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>For</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Acknowledgement</source>
        <translation>签收情况</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Acknowledge (K)</source>
        <translation>签收（K）</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>报告…</translation>
    </message>
    <message>
        <source>Update task…</source>
        <translation>更新任务…</translation>
    </message>
    <message>
        <source>Directives and tasks for %1</source>
        <translation>%1的指令与任务</translation>
    </message>
    <message>
        <source>Directives and tasks for this desk</source>
        <translation>本工作台的指令与任务</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>%1前</translation>
    </message>
    <message>
        <source>Report every %1 h</source>
        <translation>每 %1 小时报告一次</translation>
    </message>
    <message>
        <source>Report: %1</source>
        <translation>报告：%1</translation>
    </message>
    <message>
        <source>Last report %1: %2</source>
        <translation>最近报告 %1：%2</translation>
    </message>
    <message>
        <source>✓ %1 accepted by the hub</source>
        <translation>✓ %1 已被服务端受理</translation>
    </message>
    <message>
        <source>⚠ %1 refused by the hub: %2</source>
        <translation>⚠ %1 被服务端拒绝：%2</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>指令与任务</translation>
    </message>
    <message>
        <source>Orders · %1 to acknowledge</source>
        <translation>指令与任务 · %1 条待签收</translation>
    </message>
</context>
<context>
    <name>Emergency</name>
    <message>
        <source>⚑ %1 directive(s) for this desk to acknowledge: see Orders</source>
        <translation>⚑ 本工作台有 %1 条指令待签收：见“指令与任务”</translation>
    </message>
    <message>
        <source>DRILL</source>
        <translation>演练</translation>
    </message>
    <message>
        <source>%1 %2%3 emergency response · %4 · %5 · for %6</source>
        <translation>%1 %2%3应急响应 · %4 · %5 · 已持续 %6</translation>
    </message>
    <message>
        <source>Latest directive %1: %2</source>
        <translation>最新指令 %1：%2</translation>
    </message>
    <message>
        <source>(+%1 more)</source>
        <translation>（另有 %1 项）</translation>
    </message>
    <message>
        <source>%1 · reports: %2</source>
        <translation>%1 · 报告 %2 次</translation>
    </message>
    <message>
        <source>Acknowledged by %1 after %2</source>
        <translation>%1 于 %2 后签收</translation>
    </message>
    <message>
        <source>Latest report: %1</source>
        <translation>最新报告：%1</translation>
    </message>
    <message>
        <source>late · %1</source>
        <translation>超时 · %1</translation>
    </message>
    <message>
        <source> · reminded %1×</source>
        <translation> · 已催办 %1 次</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>待签收</translation>
    </message>
    <message>
        <source>Due in %1</source>
        <translation>%1 后到期</translation>
    </message>
    <message>
        <source>Not acknowledged, %1 past the deadline</source>
        <translation>未签收，已超过时限 %1</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>未签收</translation>
    </message>
    <message>
        <source>done late</source>
        <translation>超时完成</translation>
    </message>
    <message>
        <source>overdue %1</source>
        <translation>超时 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>no signal</source>
        <translation>无预警信号</translation>
    </message>
    <message>
        <source>waiting for a decision</source>
        <translation>待决策</translation>
    </message>
    <message>
        <source>confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已终止</translation>
    </message>
    <message>
        <source>%1 · declared by %2 %3 ago</source>
        <translation>%1 · %2 于 %3 前启动</translation>
    </message>
    <message>
        <source>plan tasks %1/%2 done</source>
        <translation>预案任务已完成 %1/%2</translation>
    </message>
    <message>
        <source>%1 overdue</source>
        <translation>%1 项超时</translation>
    </message>
    <message>
        <source>%1 directives, %2 acknowledgements missing</source>
        <translation>%1 条指令，%2 个单位未签收</translation>
    </message>
    <message>
        <source>%1 of %2 acknowledged · %3 late · %4 missing · %5 reminders</source>
        <translation>已签收 %1/%2 · 超时 %3 · 未签收 %4 · 催办 %5 次</translation>
    </message>
    <message>
        <source>Typhoon</source>
        <translation>台风</translation>
    </message>
    <message>
        <source>Rainstorm and flood</source>
        <translation>暴雨洪涝</translation>
    </message>
    <message>
        <source>Fire</source>
        <translation>火灾</translation>
    </message>
    <message>
        <source>Epidemic</source>
        <translation>疫情</translation>
    </message>
    <message>
        <source>Public safety</source>
        <translation>公共安全</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Level IV (blue)</source>
        <translation>Ⅳ级（蓝色）</translation>
    </message>
    <message>
        <source>Level III (yellow)</source>
        <translation>Ⅲ级（黄色）</translation>
    </message>
    <message>
        <source>Level II (orange)</source>
        <translation>Ⅱ级（橙色）</translation>
    </message>
    <message>
        <source>Level I (red)</source>
        <translation>Ⅰ级（红色）</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>已下达</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>执行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Pumps</source>
        <translation>水泵</translation>
    </message>
    <message>
        <source>Sandbags</source>
        <translation>沙袋</translation>
    </message>
    <message>
        <source>standing by</source>
        <translation>待命</translation>
    </message>
    <message>
        <source>on the way</source>
        <translation>在途</translation>
    </message>
    <message>
        <source>deployed</source>
        <translation>已部署</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>已返回</translation>
    </message>
    <message>
        <source>Declared</source>
        <translation>启动响应</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>提升响应级别</translation>
    </message>
    <message>
        <source>De-escalated</source>
        <translation>降低响应级别</translation>
    </message>
    <message>
        <source>Plan activated</source>
        <translation>启动预案</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>终止响应</translation>
    </message>
    <message>
        <source>Lead and co-units assigned</source>
        <translation>明确牵头单位和配合单位</translation>
    </message>
    <message>
        <source>Checked in at the centre</source>
        <translation>进驻中心</translation>
    </message>
    <message>
        <source>Checked out of the centre</source>
        <translation>撤离中心</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
</context>
<context>
    <name>EmergencyDialogs</name>
    <message>
        <source>Bureaus</source>
        <translation>职能部门</translation>
    </message>
    <message>
        <source>Member units</source>
        <translation>热线成员单位</translation>
    </message>
    <message>
        <source>Street sub-centres</source>
        <translation>街镇城运分中心</translation>
    </message>
    <message>
        <source>Neighbourhood committees</source>
        <translation>居村委</translation>
    </message>
    <message>
        <source>Police</source>
        <translation>公安</translation>
    </message>
    <message>
        <source>Free text</source>
        <translation>自由文本</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>到岗值守</translation>
    </message>
    <message>
        <source>Enter the emergency response now: leaders on duty at their posts, 24-hour watch, report your duty roster within 30 minutes.</source>
        <translation>立即进入应急响应状态：领导在岗带班，24小时值守，30分钟内报送值班表。</translation>
    </message>
    <message>
        <source>Check low-lying areas</source>
        <translation>排查低洼地区</translation>
    </message>
    <message>
        <source>Check every low-lying area, underpass and basement in your area, move people at risk to shelters and report head counts every 2 hours.</source>
        <translation>排查辖区所有低洼地区、下立交和地下空间，将受威胁人员转移至避难场所，每2小时报告转移人数。</translation>
    </message>
    <message>
        <source>Secure outdoor objects</source>
        <translation>加固户外设施</translation>
    </message>
    <message>
        <source>Secure or take down billboards, scaffolding, street trees at risk and construction-site cranes; report what was secured.</source>
        <translation>加固或拆除户外广告牌、脚手架、危险行道树和工地塔吊，并报告加固情况。</translation>
    </message>
    <message>
        <source>Stand down</source>
        <translation>降级响应</translation>
    </message>
    <message>
        <source>The response is lowered: keep a reduced watch and report damage and remaining work by 18:00.</source>
        <translation>响应级别已降低：保持必要值守，18:00前报告灾损和剩余工作。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Not valid: %1</source>
        <translation>无效：%1</translation>
    </message>
    <message>
        <source>Declare an emergency</source>
        <translation>启动应急响应</translation>
    </message>
    <message>
        <source>Declare</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>e.g. Typhoon In-fa, level II response</source>
        <translation>例如：台风“烟花”Ⅱ级应急响应</translation>
    </message>
    <message>
        <source>Activate the response plan for this type and level</source>
        <translation>启动该类型和级别的应急预案</translation>
    </message>
    <message>
        <source>Drill (演练): kept apart from real responses</source>
        <translation>演练：与真实响应分开</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>None ticked: the whole district.</source>
        <translation>不勾选即为全区。</translation>
    </message>
    <message>
        <source>Streets</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Give the emergency a title.</source>
        <translation>请填写事件标题。</translation>
    </message>
    <message>
        <source>Change the level of %1</source>
        <translation>调整 %1 的响应级别</translation>
    </message>
    <message>
        <source>Change level</source>
        <translation>调整级别</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>New level</source>
        <translation>新级别</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Say why the level changes.</source>
        <translation>请说明调整级别的理由。</translation>
    </message>
    <message>
        <source>Close %1</source>
        <translation>终止 %1</translation>
    </message>
    <message>
        <source>Close the response</source>
        <translation>终止响应</translation>
    </message>
    <message>
        <source>e.g. Warning lifted at 16:00</source>
        <translation>例如：预警已于16:00解除</translation>
    </message>
    <message>
        <source>Say why the response ends.</source>
        <translation>请说明终止响应的理由。</translation>
    </message>
    <message>
        <source>Issue a directive</source>
        <translation>下达指令</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>下达</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>全部单位</translation>
    </message>
    <message>
        <source>Every unit of a kind</source>
        <translation>某类全部单位</translation>
    </message>
    <message>
        <source>Chosen units</source>
        <translation>指定单位</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>no reports</source>
        <translation>不要求报告</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>To</source>
        <translation>接收单位</translation>
    </message>
    <message>
        <source>Acknowledge within</source>
        <translation>签收时限</translation>
    </message>
    <message>
        <source>Report every</source>
        <translation>报告周期</translation>
    </message>
    <message>
        <source>Report figures</source>
        <translation>报告数据项</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>接收单位</translation>
    </message>
    <message>
        <source>No unit: choose at least one.</source>
        <translation>没有单位：请至少选择一个。</translation>
    </message>
    <message>
        <source>Units: %1 · </source>
        <translation>共 %1 个单位 · </translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> 等共另 %1 个</translation>
    </message>
    <message>
        <source>Write the directive&apos;s text.</source>
        <translation>请填写指令内容。</translation>
    </message>
    <message>
        <source>No unit would receive it: choose at least one.</source>
        <translation>没有单位会收到：请至少选择一个。</translation>
    </message>
    <message>
        <source>Confirm warning %1</source>
        <translation>确认预警 %1</translation>
    </message>
    <message>
        <source>Declare and activate</source>
        <translation>启动响应并启动预案</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>No signal read: choose the type and level.</source>
        <translation>未识别出预警信号：请选择类型和级别。</translation>
    </message>
    <message>
        <source>Signal</source>
        <translation>信号</translation>
    </message>
    <message>
        <source>no plan for this type and level</source>
        <translation>该类型和级别无预案</translation>
    </message>
    <message>
        <source>Suggested plan</source>
        <translation>建议预案</translation>
    </message>
    <message>
        <source>Dismiss warning %1</source>
        <translation>驳回预警 %1</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>e.g. Outside our district</source>
        <translation>例如：不在本区范围</translation>
    </message>
    <message>
        <source>Say why no response is needed.</source>
        <translation>请说明无需响应的理由。</translation>
    </message>
</context>
<context>
    <name>EmergencyMap</name>
    <message>
        <source>red</source>
        <translation>红灯</translation>
    </message>
    <message>
        <source>orange</source>
        <translation>橙灯</translation>
    </message>
    <message>
        <source>yellow</source>
        <translation>黄灯</translation>
    </message>
    <message>
        <source>blue</source>
        <translation>蓝灯</translation>
    </message>
    <message>
        <source>%1 open cases inside the area (%2)</source>
        <translation>区域内在办案件 %1 件（%2）</translation>
    </message>
    <message>
        <source>%1 cases linked to the response</source>
        <translation>关联本次响应的案件 %1 件</translation>
    </message>
    <message>
        <source>%1 of %2 resources placed on the map</source>
        <translation>%2 项资源中 %1 项已标注在地图上</translation>
    </message>
    <message>
        <source>The district&apos;s map comes with the hub&apos;s answer</source>
        <translation>区域地图将随服务端的应答到达</translation>
    </message>
    <message>
        <source>Approximate areas · boundary: %1</source>
        <translation>区域为示意 · 边界：%1</translation>
    </message>
    <message>
        <source>Boundary: %1</source>
        <translation>边界：%1</translation>
    </message>
    <message>
        <source>No emergency chosen: the district alone.</source>
        <translation>未选择突发事件：仅显示全区。</translation>
    </message>
    <message>
        <source>Emergency area: the whole district</source>
        <translation>事件区域：全区</translation>
    </message>
    <message>
        <source>Emergency area</source>
        <translation>事件区域</translation>
    </message>
    <message>
        <source>Grid in the area (%1)</source>
        <translation>区域内网格（%1）</translation>
    </message>
    <message>
        <source>Resource (name × quantity)</source>
        <translation>资源（名称 × 数量）</translation>
    </message>
</context>
<context>
    <name>EmergencyRoom</name>
    <message>
        <source>Declare…</source>
        <translation>启动响应…</translation>
    </message>
    <message>
        <source>Change level…</source>
        <translation>调整级别…</translation>
    </message>
    <message>
        <source>Close response…</source>
        <translation>终止响应…</translation>
    </message>
    <message>
        <source>Issue directive…</source>
        <translation>下达指令…</translation>
    </message>
    <message>
        <source>Remind missing units</source>
        <translation>催办未签收单位</translation>
    </message>
    <message>
        <source>Remind every unit that has not acknowledged the selected directive (every directive&apos;s if none is selected)</source>
        <translation>催办所选指令的全部未签收单位（未选择时催办所有指令）</translation>
    </message>
    <message>
        <source>Emergencies</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>CAP warnings received</source>
        <translation>收到的CAP预警</translation>
    </message>
    <message>
        <source>Confirm…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>Declare the emergency the warning suggests and activate its plan</source>
        <translation>按预警建议启动应急响应并启动预案</translation>
    </message>
    <message>
        <source>Dismiss…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Select a cell to read the unit&apos;s reports.</source>
        <translation>选择单元格查看该单位的报告。</translation>
    </message>
    <message>
        <source>Acknowledgements</source>
        <translation>签收情况</translation>
    </message>
    <message>
        <source>Plan tasks</source>
        <translation>预案任务</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>Joint response</source>
        <translation>联动处置</translation>
    </message>
    <message>
        <source>Directives and story</source>
        <translation>指令与过程</translation>
    </message>
    <message>
        <source>No emergency: directives outside any response are shown.</source>
        <translation>无突发事件：显示不属于任何响应的指令。</translation>
    </message>
    <message>
        <source>Declare an emergency to start a joint response.</source>
        <translation>启动应急响应以开始联合处置。</translation>
    </message>
    <message>
        <source>Not a recipient of this directive.</source>
        <translation>不是该指令的接收单位。</translation>
    </message>
    <message>
        <source>No report yet.</source>
        <translation>尚无报告。</translation>
    </message>
    <message>
        <source>✓ %1 accepted by the hub %2</source>
        <translation>✓ %1 已被服务端受理 %2</translation>
    </message>
    <message>
        <source>⚠ %1 refused by the hub: %2</source>
        <translation>⚠ %1 被服务端拒绝：%2</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Cases as CSV…</source>
        <translation>案件导出为 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Cases as &amp;Open311 GeoReport v2 (JSON)…</source>
        <translation>案件导出为 Open311 GeoReport v2（JSON）(&amp;O)…</translation>
    </message>
    <message>
        <source>KPIs per &amp;unit (CSV)…</source>
        <translation>各单位考核指标（CSV）(&amp;U)…</translation>
    </message>
    <message>
        <source>KPIs per c&amp;ategory (CSV)…</source>
        <translation>各类别考核指标（CSV）(&amp;A)…</translation>
    </message>
    <message>
        <source>Export the cases as CSV</source>
        <translation>将案件导出为 CSV</translation>
    </message>
    <message>
        <source>Export the cases as Open311 GeoReport v2 JSON</source>
        <translation>将案件导出为 Open311 GeoReport v2 JSON</translation>
    </message>
    <message>
        <source>Export the KPIs per unit as CSV</source>
        <translation>将各单位考核指标导出为 CSV</translation>
    </message>
    <message>
        <source>Export the KPIs per category as CSV</source>
        <translation>将各类别考核指标导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>%1 could not be written: %2.</source>
        <translation>无法写入 %1：%2。</translation>
    </message>
    <message>
        <source>Nothing was changed at that place, and the console still holds every case. Choose another place to save the file.</source>
        <translation>该位置未作任何改动，控制台仍持有全部案件。请另选保存位置。</translation>
    </message>
    <message>
        <source>Exported %1 cases to %2</source>
        <translation>已将 %1 件案件导出至 %2</translation>
    </message>
    <message>
        <source>Exported the KPIs of %1 units to %2</source>
        <translation>已将 %1 个单位的考核指标导出至 %2</translation>
    </message>
    <message>
        <source>Exported the KPIs of %1 categories to %2</source>
        <translation>已将 %1 个类别的考核指标导出至 %2</translation>
    </message>
</context>
<context>
    <name>FeedBanner</name>
    <message>
        <source>%1 s</source>
        <translation>%1秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1分%2秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>1 action waiting to be sent</source>
        <translation>1项操作待发送</translation>
    </message>
    <message>
        <source>%1 actions waiting to be sent</source>
        <translation>%1项操作待发送</translation>
    </message>
    <message>
        <source>after an error in this console: %1 (see the log)</source>
        <translation>因本控制台出错：%1（详见日志）</translation>
    </message>
    <message>
        <source>Connecting to the hub…</source>
        <translation>正在连接服务端…</translation>
    </message>
    <message>
        <source>Showing cached data from %1, not yet confirmed by the hub</source>
        <translation>正在显示%1的缓存数据，尚未经服务端确认</translation>
    </message>
    <message>
        <source>Catching up with the hub…</source>
        <translation>正在与服务端同步…</translation>
    </message>
    <message>
        <source>Catching up: %1 events behind</source>
        <translation>正在同步：落后%1条事件</translation>
    </message>
    <message>
        <source>Hub not responding — data is %1 old</source>
        <translation>服务端无响应——数据已滞后%1</translation>
    </message>
    <message>
        <source>Feed down, reconnecting</source>
        <translation>数据流中断，正在重连</translation>
    </message>
    <message>
        <source>Feed down — data is %1 old, reconnecting</source>
        <translation>数据流中断——数据已滞后%1，正在重连</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Feed stopped: %1</source>
        <translation>数据流已停止：%1</translation>
    </message>
    <message>
        <source>Feed stopped — data is %1 old: %2</source>
        <translation>数据流已停止——数据已滞后%1：%2</translation>
    </message>
</context>
<context>
    <name>FilterEditor</name>
    <message>
        <source>Edit filter</source>
        <translation>编辑筛选</translation>
    </message>
    <message>
        <source>New filter</source>
        <translation>新建筛选</translation>
    </message>
    <message>
        <source>Grid ids, separated by commas</source>
        <translation>网格编号，以逗号分隔</translation>
    </message>
    <message>
        <source>Category codes or their first digits, e.g. 01, 07001</source>
        <translation>类别代码或其前几位，如 01、07001</translation>
    </message>
    <message>
        <source>Words in the serial no., address or description</source>
        <translation>流水号、地址或诉求描述中的文字</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Streets/towns</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Levels</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Give the filter a name.</source>
        <translation>请为筛选命名。</translation>
    </message>
    <message>
        <source>A saved filter already has this name.</source>
        <translation>已有同名的筛选。</translation>
    </message>
</context>
<context>
    <name>Handover</name>
    <message>
        <source>S&amp;hift</source>
        <translation>交接班(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Hand over shift…</source>
        <translation>交班(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Take over shift…</source>
        <translation>接班(&amp;T)…</translation>
    </message>
    <message>
        <source>Front desk: {unit}</source>
        <translation>前台值守：{unit}</translation>
    </message>
    <message>
        <source>Handover {id}: {state}</source>
        <translation>交接班 {id}：{state}</translation>
    </message>
    <message>
        <source>Shift handed over by {user}: {open} open items</source>
        <translation>{user}已交班：待办{open}项</translation>
    </message>
    <message>
        <source>Rota changed: {line}</source>
        <translation>值班表已变更：{line}</translation>
    </message>
    <message>
        <source>Shift handed over with {count} open items</source>
        <translation>已交班，待办{count}项</translation>
    </message>
    <message>
        <source>Hand over the shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>e.g. night shift, Zhang Qiang</source>
        <translation>例如：夜班 张强</translation>
    </message>
    <message>
        <source>Handed over &amp;to</source>
        <translation>接班人(&amp;T)</translation>
    </message>
    <message>
        <source>What the next shift must watch</source>
        <translation>下一班需关注的事项</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <source>Open item</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录方</translation>
    </message>
    <message>
        <source>&amp;Hand over</source>
        <translation>交班(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Refresh items</source>
        <translation>刷新事项(&amp;R)</translation>
    </message>
    <message>
        <source>this console</source>
        <translation>本控制台</translation>
    </message>
    <message>
        <source>the hub</source>
        <translation>服务端</translation>
    </message>
    <message>
        <source>{count} open items: {red} overdue, {arbitration} awaiting arbitration, {alerts} unacknowledged alerts, {refused} refused commands</source>
        <translation>待办{count}项：超期{red}件，待仲裁{arbitration}件，未确认告警{alerts}条，被拒绝操作{refused}项</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>Not sent: {error}</source>
        <translation>未发送：{error}</translation>
    </message>
    <message>
        <source>Refused: {message}</source>
        <translation>被拒绝：{message}</translation>
    </message>
    <message>
        <source>Overdue case</source>
        <translation>超期案件</translation>
    </message>
    <message>
        <source>Awaiting arbitration</source>
        <translation>待仲裁</translation>
    </message>
    <message>
        <source>Unacknowledged alert</source>
        <translation>未确认告警</translation>
    </message>
    <message>
        <source>Refused command</source>
        <translation>被拒绝操作</translation>
    </message>
    <message>
        <source>{command} on {serial}: {message}</source>
        <translation>{command}（{serial}）：{message}</translation>
    </message>
    <message>
        <source>{command}: {message}</source>
        <translation>{command}：{message}</translation>
    </message>
    <message>
        <source>Take over the shift</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note with the acknowledgement (optional)</source>
        <translation>确认备注（选填）</translation>
    </message>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>确认(&amp;A)</translation>
    </message>
    <message>
        <source>Acknowledge a&amp;ll</source>
        <translation>全部确认(&amp;L)</translation>
    </message>
    <message>
        <source>No rota for today</source>
        <translation>今日无值班安排</translation>
    </message>
    <message>
        <source>No shift has been handed over yet.</source>
        <translation>尚无交班记录。</translation>
    </message>
    <message>
        <source>Acknowledged by {user} at {time}</source>
        <translation>{user}于{time}确认</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待确认</translation>
    </message>
    <message>
        <source>On duty {date}: front desk {unit}</source>
        <translation>{date}值班：前台值守单位 {unit}</translation>
    </message>
    <message>
        <source>; staff {names}</source>
        <translation>；值班人员 {names}</translation>
    </message>
    <message>
        <source>Handed over by {user} at {time}</source>
        <translation>{user}于{time}交班</translation>
    </message>
    <message>
        <source> to {to}</source>
        <translation>，交给{to}</translation>
    </message>
    <message>
        <source>Taken over by {user} at {time}</source>
        <translation>{user}于{time}接班</translation>
    </message>
    <message>
        <source>{open} of {count} items open, not yet taken over</source>
        <translation>{count}项中{open}项待确认，尚未接班</translation>
    </message>
    <message>
        <source>Shift taken over by {user} at {time}</source>
        <translation>{user}于{time}接班</translation>
    </message>
    <message>
        <source>{user} acknowledged {count} handover items at {time}</source>
        <translation>{user}于{time}确认了{count}项交接事项</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>This list of keys</source>
        <translation>本快捷键列表</translation>
    </message>
    <message>
        <source>Larger / smaller text</source>
        <translation>放大 / 缩小文字</translation>
    </message>
    <message>
        <source>Text at its normal size</source>
        <translation>文字恢复默认大小</translation>
    </message>
    <message>
        <source>Quit the console</source>
        <translation>退出控制台</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>功能</translation>
    </message>
    <message>
        <source>Connected to %1 at %2</source>
        <translation>已连接到 %2 的 %1</translation>
    </message>
    <message>
        <source>District boundary: Apache ECharts (Apache-2.0); street and grid areas are approximate. Administrative codes: National Bureau of Statistics of China (2023). Case categories: GB/T 47678.5-2026. Holidays: State Council notices. Font: Noto Sans CJK SC (SIL Open Font License 1.1).</source>
        <translation>区界：Apache ECharts（Apache-2.0）；街镇与网格区域为示意。行政区划代码：国家统计局（2023）。案件类别：GB/T 47678.5-2026。节假日：国务院办公厅通知。字体：思源黑体 Noto Sans CJK SC（SIL 开源字体许可 1.1）。</translation>
    </message>
    <message>
        <source>About the console</source>
        <translation>关于控制台</translation>
    </message>
    <message>
        <source>Command Centre Console</source>
        <translation>城市运行综合指挥中心 · 控制台</translation>
    </message>
</context>
<context>
    <name>IntakeDesk</name>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>&amp;New call</source>
        <translation>新来电(&amp;N)</translation>
    </message>
    <message>
        <source>Clear the form for the next call</source>
        <translation>清空表单，接听下一个来电</translation>
    </message>
    <message>
        <source>Create (Ctrl+Enter)</source>
        <translation>建单（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Create and dispatch (Ctrl+Shift+Enter)</source>
        <translation>建单并派遣（Ctrl+Shift+Enter）</translation>
    </message>
    <message>
        <source>New call: the time is taken at the first key typed.</source>
        <translation>新来电：以首次按键时间为受理时间。</translation>
    </message>
    <message>
        <source>Call started %1</source>
        <translation>来电开始于 %1</translation>
    </message>
    <message>
        <source>That point is outside the district: place the call inside it.</source>
        <translation>该位置不在本区范围内：请在区内定位。</translation>
    </message>
    <message>
        <source>Not placed yet: click the map, or pick a known address.</source>
        <translation>尚未定位：请点击地图，或选择已知地址。</translation>
    </message>
    <message>
        <source>grid %1</source>
        <translation>网格 %1</translation>
    </message>
    <message>
        <source> (from the console&apos;s map; the hub completes it)</source>
        <translation>（取自控制台地图，由服务端补全）</translation>
    </message>
    <message>
        <source>Suggested unit: once the category and the place are known.</source>
        <translation>建议单位：确定类别和地点后给出。</translation>
    </message>
    <message>
        <source>No rule names a unit for this category here: create the case, then designate a unit from its drill-down.</source>
        <translation>此处该类别没有派遣规则指明单位：请先建单，再在案件详情中指定单位。</translation>
    </message>
    <message>
        <source>Suggested unit: %1
%2</source>
        <translation>建议单位：%1
%2</translation>
    </message>
    <message>
        <source>Create and dispatch to %1 (Ctrl+Shift+Enter)</source>
        <translation>建单并派遣至%1（Ctrl+Shift+Enter）</translation>
    </message>
    <message>
        <source>The district&apos;s map comes with the hub&apos;s answer</source>
        <translation>区域地图将随服务端的应答到达</translation>
    </message>
    <message>
        <source>Click where the call is · approximate areas · boundary: %1</source>
        <translation>点击来电所述位置 · 区域为示意 · 边界：%1</translation>
    </message>
    <message>
        <source>No unit is suggested here: create the case (Ctrl+Enter) and designate a unit from its drill-down.</source>
        <translation>此处无建议单位：请建单（Ctrl+Enter），再在案件详情中指定单位。</translation>
    </message>
    <message>
        <source>The hub has not suggested a unit yet: a moment.</source>
        <translation>服务端尚未给出建议单位：请稍候。</translation>
    </message>
    <message>
        <source>Not sent: the console&apos;s event loop is not running.</source>
        <translation>未发送：控制台的事件循环未运行。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>The hub is away: the call (received %1) waits in the outbox and goes out when the hub is back. Take the next call.</source>
        <translation>服务端暂不可用：该来电（%1受理）已存入待发送队列，服务端恢复后自动发送。请接听下一个来电。</translation>
    </message>
    <message>
        <source>✕ Refused by the hub: %1</source>
        <translation>✕ 服务端拒绝：%1</translation>
    </message>
    <message>
        <source>the same matter, merged at intake</source>
        <translation>同一事项，受理时合并</translation>
    </message>
    <message>
        <source>✕ %1 created, but the merge into %2 was refused: %3</source>
        <translation>✕ %1 已建单，但合并到 %2 被拒绝：%3</translation>
    </message>
    <message>
        <source>✓ %1 recorded and merged into %2.</source>
        <translation>✓ %1 已记录并合并到 %2。</translation>
    </message>
    <message>
        <source>✕ %1 created, but registering it was refused: %2</source>
        <translation>✕ %1 已建单，但立案被拒绝：%2</translation>
    </message>
    <message>
        <source>%1 created and registered; no unit is suggested: designate one from its drill-down.</source>
        <translation>%1 已建单并立案；无建议单位：请在案件详情中指定单位。</translation>
    </message>
    <message>
        <source>✕ %1 registered, but the dispatch was refused: %2</source>
        <translation>✕ %1 已立案，但派遣被拒绝：%2</translation>
    </message>
    <message>
        <source>✓ %1 created, registered and dispatched to %2.</source>
        <translation>✓ %1 已建单、立案并派遣至%2。</translation>
    </message>
    <message>
        <source>✓ %1 created.</source>
        <translation>✓ %1 已建单。</translation>
    </message>
</context>
<context>
    <name>IntakeDock</name>
    <message>
        <source>Intake</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>&amp;New call (intake)</source>
        <translation>新来电（受理）(&amp;N)</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <source>The caller&apos;s number, e.g. 138 0013 5678</source>
        <translation>来电号码，如 138 0013 5678</translation>
    </message>
    <message>
        <source>Street, number, landmark; a known address places the call, or click the map</source>
        <translation>街道、门牌号、地标；已知地址可自动定位，也可点击地图</translation>
    </message>
    <message>
        <source>What the caller reports</source>
        <translation>来电反映的问题</translation>
    </message>
    <message>
        <source>&amp;Urgent</source>
        <translation>紧急(&amp;U)</translation>
    </message>
    <message>
        <source>Channe&amp;l</source>
        <translation>渠道(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>电话(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation>类别(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;What</source>
        <translation>诉求内容(&amp;W)</translation>
    </message>
    <message>
        <source>Choose a category: type its name, code or pinyin initials, then Enter.</source>
        <translation>请选择类别：输入名称、代码或拼音首字母，然后按回车。</translation>
    </message>
    <message>
        <source>Place the call: click the map where it is, or pick a known address.</source>
        <translation>请定位来电：在地图上点击所述位置，或选择已知地址。</translation>
    </message>
    <message>
        <source>Say what the caller reports.</source>
        <translation>请填写来电反映的问题。</translation>
    </message>
    <message>
        <source>The description is too long: %1 characters, at most %2.</source>
        <translation>诉求描述过长：%1个字符，最多%2个。</translation>
    </message>
    <message>
        <source>The phone number is not one: 5 to 20 digits, spaces or dashes, an optional + first.</source>
        <translation>电话号码无效：应为5至20位数字，可含空格或短横线，开头可加 +。</translation>
    </message>
    <message>
        <source>Not valid: %1</source>
        <translation>无效：%1</translation>
    </message>
</context>
<context>
    <name>JointDialogs</name>
    <message>
        <source>Loading the organisation from the hub…</source>
        <translation>正在从服务端加载组织机构…</translation>
    </message>
    <message>
        <source>Lead and co-units of %1</source>
        <translation>%1 的牵头单位和配合单位</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>指定</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>突发事件</translation>
    </message>
    <message>
        <source>Lead and co-units</source>
        <translation>牵头与配合单位</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Choose the lead unit (type part of its name).</source>
        <translation>请选择牵头单位（输入部分名称）。</translation>
    </message>
    <message>
        <source>The lead unit cannot also be a co-unit: untick it.</source>
        <translation>牵头单位不能同时为配合单位：请取消勾选。</translation>
    </message>
    <message>
        <source>Check a unit in at the centre</source>
        <translation>登记单位进驻中心</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>进驻</translation>
    </message>
    <message>
        <source>e.g. Wang Qiang, deputy director</source>
        <translation>例如：王强，副局长</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Who sits in</source>
        <translation>进驻人员</translation>
    </message>
    <message>
        <source>Choose the unit that checks in.</source>
        <translation>请选择进驻单位。</translation>
    </message>
    <message>
        <source>Say who sits in for the unit.</source>
        <translation>请填写该单位的进驻人员。</translation>
    </message>
    <message>
        <source>Give the position as longitude, latitude, e.g. 121.41, 31.02.</source>
        <translation>请按“经度, 纬度”填写位置，例如 121.41, 31.02。</translation>
    </message>
    <message>
        <source>%1, %2 is outside the district.</source>
        <translation>%1, %2 不在本区范围内。</translation>
    </message>
    <message>
        <source>Add a resource to %1</source>
        <translation>为 %1 添加资源</translation>
    </message>
    <message>
        <source>Change resource %1</source>
        <translation>修改资源 %1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>e.g. District drainage rescue team</source>
        <translation>例如：区排水抢险队</translation>
    </message>
    <message>
        <source>e.g. Xinzhuang interchange underpass</source>
        <translation>例如：莘庄立交下穿通道</translation>
    </message>
    <message>
        <source>Position at a street&apos;s centre…</source>
        <translation>定位到街镇中心…</translation>
    </message>
    <message>
        <source>longitude, latitude (empty: not on the map)</source>
        <translation>经度, 纬度（留空：不在地图上标注）</translation>
    </message>
    <message>
        <source>Quantity: people of a team, vehicles, pumps, bags.</source>
        <translation>数量：队伍人数、车辆数、水泵数、沙袋数。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>On the map</source>
        <translation>地图位置</translation>
    </message>
    <message>
        <source>Name the resource.</source>
        <translation>请填写资源名称。</translation>
    </message>
    <message>
        <source>Choose the unit the resource belongs to.</source>
        <translation>请选择资源所属单位。</translation>
    </message>
</context>
<context>
    <name>JointTab</name>
    <message>
        <source>sitting in</source>
        <translation>进驻中</translation>
    </message>
    <message>
        <source>not on the map</source>
        <translation>未在地图上标注</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>指定…</translation>
    </message>
    <message>
        <source>Name the lead unit and the co-units</source>
        <translation>指定牵头单位和配合单位</translation>
    </message>
    <message>
        <source>Check in…</source>
        <translation>登记进驻…</translation>
    </message>
    <message>
        <source>Check out</source>
        <translation>撤离</translation>
    </message>
    <message>
        <source>The selected unit leaves the centre</source>
        <translation>所选单位撤离中心</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Who sits in</source>
        <translation>进驻人员</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>进驻时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>撤离时间</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Register a team, vehicles, pumps or sandbags</source>
        <translation>登记队伍、车辆、水泵或沙袋</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Change the selected resource (or press Enter on it)</source>
        <translation>修改所选资源（或在其上按回车）</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Choose an emergency to see its joint response.</source>
        <translation>选择突发事件，查看其联动处置。</translation>
    </message>
    <message>
        <source>not assigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Lead unit: %1
Co-units (%2): %3</source>
        <translation>牵头单位：%1
配合单位（%2）：%3</translation>
    </message>
    <message>
        <source>Units sitting in at the centre: %1</source>
        <translation>进驻中心单位：%1</translation>
    </message>
    <message>
        <source>Resources: %1 (%2 on the way or deployed)</source>
        <translation>资源：%1 项（%2 项在途或已部署）</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Signed for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处置</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Called back</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>不予立案</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <source>962000 hotline</source>
        <translation>962000热线</translation>
    </message>
    <message>
        <source>Grid patrol</source>
        <translation>网格巡查</translation>
    </message>
    <message>
        <source>Video patrol</source>
        <translation>视频巡查</translation>
    </message>
    <message>
        <source>Mobile app</source>
        <translation>移动端App</translation>
    </message>
    <message>
        <source>Transferred from 110</source>
        <translation>110转办</translation>
    </message>
    <message>
        <source>Video wall</source>
        <translation>大屏</translation>
    </message>
    <message>
        <source>Duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <source>Commander</source>
        <translation>指挥长</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>督办员</translation>
    </message>
    <message>
        <source>Blue: in time</source>
        <translation>蓝灯：时限内</translation>
    </message>
    <message>
        <source>Yellow: past 50% of the time limit</source>
        <translation>黄灯：已过时限50%</translation>
    </message>
    <message>
        <source>Orange: past 80% of the time limit</source>
        <translation>橙灯：已过时限80%</translation>
    </message>
    <message>
        <source>Red: overdue</source>
        <translation>红灯：超期</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Command Centre Console</source>
        <translation>城市运行综合指挥中心 · 控制台</translation>
    </message>
    <message>
        <source>Dispatch queue</source>
        <translation>派遣队列</translation>
    </message>
    <message>
        <source>Queues</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Unit desk · %1 — %2</source>
        <translation>单位工作台 · %1 — %2</translation>
    </message>
    <message>
        <source>%1 is not possible on %2 now (its state or your role)</source>
        <translation>%2当前不能%1（受案件状态或您的角色限制）</translation>
    </message>
    <message>
        <source>Change the appearance</source>
        <translation>更改外观</translation>
    </message>
    <message>
        <source>The form you are filling in will close. Change now?</source>
        <translation>正在填写的表单将被关闭。现在更改吗？</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Put every panel back where the console first placed it</source>
        <translation>将所有面板恢复到初始位置</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Dark (night shift, wall)</source>
        <translation>深色（夜班、大屏）(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Light (day shift)</source>
        <translation>浅色（白班）(&amp;L)</translation>
    </message>
    <message>
        <source>Text &amp;size</source>
        <translation>文字大小(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Larger</source>
        <translation>放大(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Smaller</source>
        <translation>缩小(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Normal size</source>
        <translation>默认大小(&amp;N)</translation>
    </message>
    <message>
        <source>Now: %1 %</source>
        <translation>当前：%1 %</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
</context>
<context>
    <name>PhotoPicker</name>
    <message>
        <source>%1 cannot be made small enough to send.</source>
        <translation>%1 无法压缩到可发送的大小。</translation>
    </message>
    <message>
        <source>%1 is not an image the console can read (%2).</source>
        <translation>%1 不是控制台可读取的图像（%2）。</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Remove this photo</source>
        <translation>移除此照片</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Up to %1, or drop image files here; sent downscaled as JPEG.</source>
        <translation>最多 %1 张，也可将图片文件拖放到此处；发送时压缩为 JPEG。</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Images (%1)</source>
        <translation>图片 (%1)</translation>
    </message>
    <message>
        <source>At most %1 photos per step: %2 not added.</source>
        <translation>每个环节最多 %1 张照片：%2 张未添加。</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message>
        <source>Actions are not being saved on this workstation (its outbox file cannot be used): an action the hub has not yet answered is lost if the console closes. Have the disk or folder fixed; this notice stays until the file works.</source>
        <translation>本工作站的操作未被保存（待发送操作文件无法使用）：服务端尚未答复的操作在控制台关闭后将丢失。请修复磁盘或文件夹；此提示将一直显示，直到该文件恢复可用。</translation>
    </message>
    <message>
        <source>An action could not be saved on this workstation&apos;s disk: if the console closes before the hub answers it, it is lost. Have the disk checked.</source>
        <translation>有一项操作未能保存到本工作站的磁盘：若控制台在服务端答复前关闭，该操作将丢失。请检查磁盘。</translation>
    </message>
    <message>
        <source>%1 action(s) sent to the hub have had no answer for %2 s or more: they are sent again and will be applied once. If this stays, the hub may be stuck: call its administrator.</source>
        <translation>%1 项已发往服务端的操作 %2 秒以上未获应答：已重新发送，只会执行一次。如持续出现，服务端可能卡住，请联系其管理员。</translation>
    </message>
    <message>
        <source>The hub answers every action it receives; sending one again is safe, the hub acts on it only once.</source>
        <translation>服务端对收到的每项操作都会应答；重新发送是安全的，服务端只执行一次。</translation>
    </message>
    <message>
        <source>%1 event(s) from the hub could not be read and were skipped (the last: %2, seq %3): cases may be shown out of date. This console may need an update; restart it after updating.</source>
        <translation>服务端的%1条事件无法读取，已跳过（最近一条：%2，事件序号 %3）：部分案件显示的可能不是最新状态。本控制台可能需要更新，更新后请重启。</translation>
    </message>
</context>
<context>
    <name>QueueSidebar</name>
    <message>
        <source>Search serial no., address, description</source>
        <translation>搜索流水号、地址、诉求描述</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>New filter…</source>
        <translation>新建筛选…</translation>
    </message>
    <message>
        <source>Saved filters</source>
        <translation>已保存的筛选</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>Queues</name>
    <message>
        <source>To register</source>
        <translation>待立案</translation>
    </message>
    <message>
        <source>To dispatch</source>
        <translation>待派遣</translation>
    </message>
    <message>
        <source>Returned / to arbitrate</source>
        <translation>退单 / 待仲裁</translation>
    </message>
    <message>
        <source>To sign for</source>
        <translation>待签收</translation>
    </message>
    <message>
        <source>Being handled</source>
        <translation>处置中</translation>
    </message>
    <message>
        <source>To verify</source>
        <translation>待核查</translation>
    </message>
    <message>
        <source>Call-back due</source>
        <translation>待回访</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>My unit&apos;s</source>
        <translation>本单位</translation>
    </message>
    <message>
        <source>All open</source>
        <translation>全部在办</translation>
    </message>
    <message>
        <source>Received, not yet registered</source>
        <translation>已受理，尚未立案</translation>
    </message>
    <message>
        <source>Registered, not yet dispatched (a case returned once is here again)</source>
        <translation>已立案，尚未派遣（退单一次的案件也会回到此处）</translation>
    </message>
    <message>
        <source>Returned by a unit: to dispatch again, or to arbitrate after two returns</source>
        <translation>被单位退单：待重新派遣，退单两次后待仲裁</translation>
    </message>
    <message>
        <source>Dispatched, the unit has not signed for it yet</source>
        <translation>已派遣，单位尚未签收</translation>
    </message>
    <message>
        <source>Signed for or being handled by the unit, no feedback yet</source>
        <translation>单位已签收或正在处置，尚未反馈</translation>
    </message>
    <message>
        <source>The unit gave feedback: verify and close</source>
        <translation>单位已反馈：待核查结案</translation>
    </message>
    <message>
        <source>Closed, the requester not yet called back</source>
        <translation>已结案，尚未回访诉求人</translation>
    </message>
    <message>
        <source>Red: the step or the overall time limit has passed</source>
        <translation>红灯：已超过环节时限或处置时限</translation>
    </message>
    <message>
        <source>Cases of your unit and the units under it, or on its ground</source>
        <translation>本单位及下属单位的案件，或本单位辖区内的案件</translation>
    </message>
    <message>
        <source>Every case from receipt to verification</source>
        <translation>从受理到核查的全部案件</translation>
    </message>
</context>
<context>
    <name>RoomWindow</name>
    <message>
        <source>Emergency room</source>
        <translation>应急指挥室</translation>
    </message>
</context>
<context>
    <name>ShelveDialog</name>
    <message>
        <source>Shelve an alert</source>
        <translation>搁置告警</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>e.g. rainstorm: every team is out on site</source>
        <translation>例如：暴雨，所有队伍均已在现场处置</translation>
    </message>
    <message>
        <source>For this desk only. Its alerts gather under one greyed row, without sound, until the shelf ends by itself.</source>
        <translation>仅限本席位。搁置期间其告警归入一条灰色行、不再鸣响，到期自动解除。</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>For</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Say why the alert is shelved.</source>
        <translation>请说明搁置该告警的理由。</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Previous / next case</source>
        <translation>上一个 / 下一个案件</translation>
    </message>
    <message>
        <source>One screen up / down</source>
        <translation>向上 / 向下翻一屏</translation>
    </message>
    <message>
        <source>First / last case</source>
        <translation>第一个 / 最后一个案件</translation>
    </message>
    <message>
        <source>Open the case</source>
        <translation>打开案件</translation>
    </message>
    <message>
        <source>Search serial no., address and description</source>
        <translation>搜索流水号、地址和诉求描述</translation>
    </message>
    <message>
        <source>In the search box: clear it and go back to the queue</source>
        <translation>在搜索框中：清空并返回队列</translation>
    </message>
    <message>
        <source>Show a queue (in the order of the sidebar; Alt+0 the tenth)</source>
        <translation>切换队列（按侧栏顺序；Alt+0 为第十个）</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>立案</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派遣</translation>
    </message>
    <message>
        <source>Arbitrate a returned case</source>
        <translation>仲裁退单案件</translation>
    </message>
    <message>
        <source>Verify the unit&apos;s feedback</source>
        <translation>核查单位反馈</translation>
    </message>
    <message>
        <source>Call back the requester</source>
        <translation>回访诉求人</translation>
    </message>
    <message>
        <source>Urge the unit</source>
        <translation>催办单位</translation>
    </message>
    <message>
        <source>Supervise</source>
        <translation>督办</translation>
    </message>
    <message>
        <source>Pause, or resume a paused case</source>
        <translation>挂起，或恢复已挂起的案件</translation>
    </message>
    <message>
        <source>Escalate one loop up</source>
        <translation>升级上报至上一级</translation>
    </message>
    <message>
        <source>The intake desk: a new call</source>
        <translation>受理：新来电</translation>
    </message>
    <message>
        <source>In Orders: acknowledge the selected directive</source>
        <translation>在“指令与任务”中：签收所选指令</translation>
    </message>
    <message>
        <source>In Alerts: shelve the selected alert for a while</source>
        <translation>在告警面板中：暂时搁置所选告警</translation>
    </message>
    <message>
        <source>Hand over the shift / take it over</source>
        <translation>交班 / 接班</translation>
    </message>
    <message>
        <source>Analysis: hot spots, recurring problems, trends</source>
        <translation>分析研判：热点、高发问题、趋势</translation>
    </message>
</context>
<context>
    <name>SimilarList</name>
    <message>
        <source>%1 min ago</source>
        <translation>%1分钟前</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>%1小时前</translation>
    </message>
    <message>
        <source>%1 d ago</source>
        <translation>%1天前</translation>
    </message>
    <message>
        <source>Merge: the call is recorded as its own case and closed at once as a duplicate of the open case, which keeps the work (the hub attaches no call to a case).</source>
        <translation>合并：本次来电单独建单，并立即作为重复件结案，由原在办案件继续办理（服务端不会把来电挂到已有案件上）。</translation>
    </message>
    <message>
        <source>Similar open cases (%1): same category, same place, last 30 days</source>
        <translation>相似在办案件（%1）：同类别、同地点、近30天</translation>
    </message>
    <message>
        <source>None: this call is new.</source>
        <translation>无：这是新诉求。</translation>
    </message>
    <message>
        <source>same address</source>
        <translation>同一地址</translation>
    </message>
    <message>
        <source>same grid</source>
        <translation>同一网格</translation>
    </message>
    <message>
        <source>%1 m away</source>
        <translation>相距%1米</translation>
    </message>
    <message>
        <source>Merge into this (Ctrl+%1)</source>
        <translation>合并到此案件（Ctrl+%1）</translation>
    </message>
    <message>
        <source>Record the call and close it as a duplicate of %1</source>
        <translation>记录来电，并作为 %1 的重复件结案</translation>
    </message>
</context>
<context>
    <name>Supervision</name>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>橙灯</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄灯</translation>
    </message>
    <message>
        <source>In time</source>
        <translation>时限内</translation>
    </message>
    <message>
        <source>returned %1×</source>
        <translation>退单%1次</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>重新办理</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>流水号</translation>
    </message>
    <message>
        <source>Why at risk</source>
        <translation>风险原因</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>案件类别</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街镇</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>督办记录</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>当前超期</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退单</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>风险案件</translation>
    </message>
    <message>
        <source>Supervised</source>
        <translation>被督办</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按时办结率</translation>
    </message>
    <message>
        <source>DRILL</source>
        <translation>演练</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>hub (automatic)</source>
        <translation>服务端（自动）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Cases at risk</source>
        <translation>风险案件</translation>
    </message>
    <message>
        <source>On the selected case:</source>
        <translation>对所选案件：</translation>
    </message>
    <message>
        <source>Units by overdue and returns</source>
        <translation>单位超期与退单排名</translation>
    </message>
    <message>
        <source>On the selected unit&apos;s pool:</source>
        <translation>对所选单位的案件池：</translation>
    </message>
    <message>
        <source>What was done (newest first)</source>
        <translation>督办记录（最新在前）</translation>
    </message>
    <message>
        <source>%1 cases at risk · ■ %2 overdue · ◆ %3 orange · %4 returned twice or more · %5 reopened · %6 units with overdue cases</source>
        <translation>风险案件 %1 件 · ■ 超期 %2 · ◆ 橙灯 %3 · 退单两次及以上 %4 · 重新办理 %5 · 有超期案件的单位 %6 个</translation>
    </message>
    <message>
        <source>✓ %1: %2 cases, recorded by the hub</source>
        <translation>✓ %1：%2 件，服务端已记录</translation>
    </message>
    <message>
        <source>⚠ refused by the hub: %1</source>
        <translation>⚠ 服务端拒绝：%1</translation>
    </message>
    <message>
        <source>Orange or red (at risk)</source>
        <translation>橙灯和红灯（风险）</translation>
    </message>
    <message>
        <source>Red only (overdue)</source>
        <translation>仅红灯（超期）</translation>
    </message>
    <message>
        <source>Yellow, orange or red</source>
        <translation>黄灯、橙灯和红灯</translation>
    </message>
    <message>
        <source>Every open case</source>
        <translation>全部在办案件</translation>
    </message>
    <message>
        <source>Against %1</source>
        <translation>针对%1</translation>
    </message>
    <message>
        <source>no unit yet</source>
        <translation>尚无单位</translation>
    </message>
    <message>
        <source>%1 · the pool of %2</source>
        <translation>%1 · %2的案件池</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件范围</translation>
    </message>
    <message>
        <source>Required: what is expected, by when</source>
        <translation>必填：要求做什么、何时完成</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Send to the hub (Ctrl+Enter)</source>
        <translation>发送到服务端（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>%1 open cases in the pool now</source>
        <translation>案件池现有在办案件 %1 件</translation>
    </message>
    <message>
        <source>Too long: %1 characters, at most %2.</source>
        <translation>过长：%1个字符，最多%2个。</translation>
    </message>
    <message>
        <source>Formal supervision and holding to account need a note.</source>
        <translation>督办和问效必须填写备注。</translation>
    </message>
    <message>
        <source>No open case of this unit at this level: nothing to supervise.</source>
        <translation>该单位在此等级下没有在办案件：无可督办。</translation>
    </message>
    <message>
        <source>Not valid: %1</source>
        <translation>无效：%1</translation>
    </message>
</context>
<context>
    <name>SupervisionWindow</name>
    <message>
        <source>Supervision desk</source>
        <translation>督办工作台</translation>
    </message>
</context>
<context>
    <name>TimeLeft</name>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1天%2小时</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1小时%2分</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1分钟</translation>
    </message>
    <message>
        <source>&lt;1 min</source>
        <translation>不足1分钟</translation>
    </message>
    <message>
        <source>Overdue %1</source>
        <translation>超期 %1</translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>办理期限 %1</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>%1 · %2 late</source>
        <translation>%1 · 超时%2</translation>
    </message>
    <message>
        <source>%1 · on time</source>
        <translation>%1 · 按时</translation>
    </message>
    <message>
        <source>Received %1 via %2</source>
        <translation>%1 经%2受理</translation>
    </message>
    <message>
        <source>Step limit: due %1</source>
        <translation>环节时限：%1到期</translation>
    </message>
    <message>
        <source>No step limit: the time shown is since the previous step</source>
        <translation>无环节时限：所示为距上一环节的时间</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Time taken</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Unit and note</source>
        <translation>单位与备注</translation>
    </message>
</context>
<context>
    <name>UnitPicker</name>
    <message>
        <source>No routing rule covers this case: the centre designates a unit (指定).</source>
        <translation>没有派遣规则覆盖此案件：由中心指定单位（指定）。</translation>
    </message>
    <message>
        <source>Suggested: %1.</source>
        <translation>建议：%1。</translation>
    </message>
    <message>
        <source>rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <source>Lead unit: type to search</source>
        <translation>主办单位：输入以搜索</translation>
    </message>
    <message>
        <source>%1 (suggested)</source>
        <translation>%1（建议）</translation>
    </message>
    <message>
        <source>Co-units (协办): type to filter, tick to add</source>
        <translation>协办单位：输入以筛选，勾选以添加</translation>
    </message>
</context>
<context>
    <name>Wall</name>
    <message>
        <source>District at a glance</source>
        <translation>全区概览</translation>
    </message>
    <message>
        <source>Intake and closures</source>
        <translation>受理与办结</translation>
    </message>
    <message>
        <source>Rankings</source>
        <translation>绩效排名</translation>
    </message>
    <message>
        <source>District command centre</source>
        <translation>区城市运行综合指挥中心</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停轮播</translation>
    </message>
    <message>
        <source>data as of {time} · seq {seq}</source>
        <translation>数据截至 {time} · 序号 {seq}</translation>
    </message>
    <message>
        <source>waiting for the hub&apos;s figures</source>
        <translation>等待中心数据</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <source>DATA NOT CURRENT</source>
        <translation>数据未更新</translation>
    </message>
    <message>
        <source>last known current {age} ago · reconnecting to the hub</source>
        <translation>最后一次确认为最新：{age}前 · 正在重新连接中心</translation>
    </message>
    <message>
        <source>URGENT CASE</source>
        <translation>紧急案件</translation>
    </message>
    <message>
        <source>CASE OVERDUE</source>
        <translation>案件超时</translation>
    </message>
    <message>
        <source>SURGE OF REQUESTS</source>
        <translation>诉求激增</translation>
    </message>
    <message>
        <source>{n} new cases in the last 10 minutes (threshold {t})</source>
        <translation>近10分钟新增 {n} 件（阈值 {t}）</translation>
    </message>
    <message>
        <source>received {time} · {level}</source>
        <translation>{time} 受理 · {level}</translation>
    </message>
    <message>
        <source>EMERGENCY RESPONSE</source>
        <translation>应急响应</translation>
    </message>
    <message>
        <source>DIRECTIVE ISSUED</source>
        <translation>指令已下达</translation>
    </message>
    <message>
        <source>Acknowledged {a} of {n} · late {l} · missing {m}</source>
        <translation>已签收 {a}/{n} · 超时 {l} · 未签收 {m}</translation>
    </message>
    <message>
        <source>+{n} more</source>
        <translation>另有 {n} 个</translation>
    </message>
</context>
<context>
    <name>WallTiles</name>
    <message>
        <source>Intake today</source>
        <translation>今日受理</translation>
    </message>
    <message>
        <source>vs same hour yesterday</source>
        <translation>较昨日同时段</translation>
    </message>
    <message>
        <source>vs same weekday last week</source>
        <translation>较上周同日同时段</translation>
    </message>
    <message>
        <source>cases received since 00:00</source>
        <translation>0时以来受理件数</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <source>{total} open · {overdue} overdue now</source>
        <translation>在办 {total} 件 · 当前超时 {overdue} 件</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>办理成效</translation>
    </message>
    <message>
        <source>closure rate today</source>
        <translation>今日办结率</translation>
    </message>
    <message>
        <source>{closed} closed of {received} received</source>
        <translation>受理 {received} 件，办结 {closed} 件</translation>
    </message>
    <message>
        <source>on-time closure, month</source>
        <translation>本月按时办结率</translation>
    </message>
    <message>
        <source>today: {rate}</source>
        <translation>今日：{rate}</translation>
    </message>
    <message>
        <source>satisfaction, month</source>
        <translation>本月满意率</translation>
    </message>
    <message>
        <source>{rated} call-backs rated</source>
        <translation>回访评价 {rated} 件</translation>
    </message>
    <message>
        <source>returns today</source>
        <translation>今日退单</translation>
    </message>
    <message>
        <source>this month: {n}</source>
        <translation>本月：{n}</translation>
    </message>
    <message>
        <source>Ranked by on-time closure rate this month: closed within the overall limit ÷ closed; only those with at least {n} closed cases; ties: more cases first.</source>
        <translation>按本月按时办结率排名：时限内办结件数 ÷ 办结件数；办结不少于 {n} 件方参与排名；并列时办结件数多者在前。</translation>
    </message>
    <message>
        <source>Ranked by satisfaction this month: satisfied ÷ rated call-backs; only those with at least {n} rated; ties: more rated first.</source>
        <translation>按本月满意率排名：满意件数 ÷ 回访评价件数；评价不少于 {n} 件方参与排名；并列时评价件数多者在前。</translation>
    </message>
    <message>
        <source>Ranked by open cases overdue now, most first; ties: more open cases first.</source>
        <translation>按当前超时在办件数排名，多者在前；并列时在办件数多者在前。</translation>
    </message>
    <message>
        <source>Ranked by cases returned this month, most first; ties: more cases received first.</source>
        <translation>按本月退单件数排名，多者在前；并列时受理件数多者在前。</translation>
    </message>
    <message>
        <source>Units: on-time closure</source>
        <translation>部门按时办结率</translation>
    </message>
    <message>
        <source>Streets: on-time closure</source>
        <translation>街镇按时办结率</translation>
    </message>
    <message>
        <source>Units: satisfaction</source>
        <translation>部门满意率</translation>
    </message>
    <message>
        <source>Streets: satisfaction</source>
        <translation>街镇满意率</translation>
    </message>
    <message>
        <source>Units: most overdue now</source>
        <translation>部门当前超时件数</translation>
    </message>
    <message>
        <source>Streets: most overdue now</source>
        <translation>街镇当前超时件数</translation>
    </message>
    <message>
        <source>Units: most returns</source>
        <translation>部门退单件数</translation>
    </message>
    <message>
        <source>Streets: most returns</source>
        <translation>街镇退单件数</translation>
    </message>
    <message>
        <source>Last 24 hours: intake and closures</source>
        <translation>近24小时受理与办结</translation>
    </message>
    <message>
        <source>Last 24 hours: overdue cases</source>
        <translation>近24小时超时案件</translation>
    </message>
    <message>
        <source>received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>received, day before</source>
        <translation>前一日受理</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>overdue, day before</source>
        <translation>前一日超时</translation>
    </message>
    <message>
        <source>Open cases by grid</source>
        <translation>各网格在办案件</translation>
    </message>
    <message>
        <source>Overdue cases by grid</source>
        <translation>各网格超时案件</translation>
    </message>
    <message>
        <source>Waiting for the district&apos;s map from the hub</source>
        <translation>正在等待服务端发送区域地图</translation>
    </message>
    <message>
        <source>Hot spots: last 7 days</source>
        <translation>热点：近 7 天</translation>
    </message>
    <message>
        <source>Asking the hub for hot spots…</source>
        <translation>正在向服务端查询热点…</translation>
    </message>
    <message>
        <source>Boundary: %1</source>
        <translation>边界：%1</translation>
    </message>
    <message>
        <source>Street and grid areas are approximate</source>
        <translation>街镇与网格区域为示意</translation>
    </message>
    <message>
        <source>The hub did not answer the hot-spot question.</source>
        <translation>服务端未答复热点查询。</translation>
    </message>
    <message>
        <source>Gi* z of the hot spots</source>
        <translation>热点的 Gi* z 值</translation>
    </message>
    <message>
        <source>Cases, 7 days to %1: grids above their own history and neighbours (Gi*, FDR 5 %); bar: z</source>
        <translation>截至 %1 的 7 天案件：高于自身历史和相邻网格的网格（Gi*，FDR 5 %）；条形：z 值</translation>
    </message>
    <message>
        <source>No grid significantly above its own history and its neighbours&apos; in the 7 days to %1.</source>
        <translation>截至 %1 的 7 天内，没有网格显著高于其自身历史和相邻网格。</translation>
    </message>
    <message>
        <source>open cases</source>
        <translation>在办件数</translation>
    </message>
</context>
</TS>
