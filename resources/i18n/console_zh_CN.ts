<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <source>Time left</source>
        <translation>剩余时限</translation>
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
</TS>
