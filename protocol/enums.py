"""Closed vocabularies of the feed. Values are the exact strings on the wire."""

from enum import IntEnum, StrEnum


class Role(StrEnum):
    """Who a token belongs to; decides which commands the hub accepts."""

    WALL = "wall"
    DUTY = "duty"
    COMMANDER = "commander"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    """Supervision (监督), apart from command: the ladder on cases and pools, never a loop step."""


class CaseStatus(StrEnum):
    """Steps of the closed loop (闭环). Order here is the order of the loop."""

    RECEIVED = "received"        # 受理
    REGISTERED = "registered"    # 立案
    DISPATCHED = "dispatched"    # 派遣
    SIGNED = "signed"            # 签收
    HANDLING = "handling"        # 处置
    FEEDBACK = "feedback"        # 反馈
    VERIFIED = "verified"        # 核查
    CLOSED = "closed"            # 结案
    CALLED_BACK = "called_back"  # 回访
    REJECTED = "rejected"        # 不予立案
    MERGED = "merged"            # 合并（重复）


OPEN_STATUSES = frozenset(
    {
        CaseStatus.RECEIVED,
        CaseStatus.REGISTERED,
        CaseStatus.DISPATCHED,
        CaseStatus.SIGNED,
        CaseStatus.HANDLING,
        CaseStatus.FEEDBACK,
        CaseStatus.VERIFIED,
    }
)


class SlaLevel(StrEnum):
    """Timer level of a case: in time, past 50 %, past 80 %, overdue."""

    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


class EmergencyType(StrEnum):
    """Kind of an emergency (突发事件) the centre commands a joint response to."""

    TYPHOON = "typhoon"              # 台风
    RAINSTORM = "rainstorm"          # 暴雨/洪涝 (rainstorm and flood)
    FIRE = "fire"                    # 火灾
    EPIDEMIC = "epidemic"            # 疫情
    PUBLIC_SAFETY = "public_safety"  # 公共安全
    OTHER = "other"                  # 其他


class EmergencyLevel(StrEnum):
    """Response level, IV (lowest) to I (highest), shown blue, yellow, orange, red (四色)."""

    LEVEL_IV = "IV"     # Ⅳ级 蓝色
    LEVEL_III = "III"   # Ⅲ级 黄色
    LEVEL_II = "II"     # Ⅱ级 橙色
    LEVEL_I = "I"       # Ⅰ级 红色


EMERGENCY_LEVEL_COLOUR: dict[EmergencyLevel, SlaLevel] = {
    EmergencyLevel.LEVEL_IV: SlaLevel.BLUE,
    EmergencyLevel.LEVEL_III: SlaLevel.YELLOW,
    EmergencyLevel.LEVEL_II: SlaLevel.ORANGE,
    EmergencyLevel.LEVEL_I: SlaLevel.RED,
}
"""The colour of each response level, as China's four-colour warning signals use them."""
EMERGENCY_LEVEL_ORDER: tuple[EmergencyLevel, ...] = tuple(EMERGENCY_LEVEL_COLOUR)
"""Lowest first: a later level in this tuple is an escalation."""


class EmergencyStatus(StrEnum):
    """Whether an emergency is still being commanded."""

    ACTIVE = "active"
    CLOSED = "closed"


class TaskStatus(StrEnum):
    """A response plan's task for one unit, as the unit reports it."""

    ASSIGNED = "assigned"          # 已下达
    ACKNOWLEDGED = "acknowledged"  # 已签收
    IN_PROGRESS = "in_progress"    # 执行中
    DONE = "done"                  # 已完成


class Channel(StrEnum):
    """How a request reached the centre (一号通)."""

    HOTLINE_12345 = "hotline_12345"
    HOTLINE_962000 = "hotline_962000"
    GRID_PATROL = "grid_patrol"
    VIDEO = "video"
    APP = "app"
    POLICE_110 = "police_110"


class Basis(StrEnum):
    """Why a unit is responsible: the three determinations (三定)."""

    LAW = "law"                  # 法定
    AGREEMENT = "agreement"      # 商定
    DESIGNATION = "designation"  # 指定 (the centre designates when no rule owns the case)


class UnitKind(StrEnum):
    """What a unit of the organisation is; the parent chain gives the three loops."""

    DISTRICT_CENTRE = "district_centre"  # 区城运中心 (big loop)
    STREET_CENTRE = "street_centre"      # 街镇城运分中心 (small loop)
    COMMITTEE = "committee"              # 居村委工作站 (micro loop)
    GRID = "grid"                        # 网格 (micro loop)
    BUREAU = "bureau"                    # 职能部门 (条)
    MEMBER = "member"                    # 热线成员单位 (utilities and the like)
    POLICE = "police"                    # 公安 (110)


class SupervisionAction(StrEnum):
    """Supervision of a case pool, in rising order of weight."""

    REMIND = "remind"        # 提醒
    URGE = "urge"            # 催办
    SUPERVISE = "supervise"  # 督办
    ACCOUNT = "account"      # 问效 (hold to account)


class AlertKind(StrEnum):
    """What an operator's alert is about; `alert.ack` names it, with a key (see there)."""

    TIMER = "timer"              # a time limit turned orange or red (超期预警)
    SUPERVISION = "supervision"  # a case was reminded, urged, supervised or held to account (督办)
    RETURNED = "returned"        # a unit returned a case (退单)


class CaseFlag(StrEnum):
    """Marks a case carries so nobody misses its story."""

    ARBITRATION = "arbitration"      # returned twice: the centre must arbitrate
    REOPENED = "reopened"            # caller not satisfied: reopened once
    ESCALATED = "escalated"          # moved one loop up
    TRANSFERRED_110 = "transferred_110"
    PAUSED = "paused"                # 挂起
    EXTENSION_REQUESTED = "extension_requested"
    EXTENDED = "extended"            # 延期 approved
    VERIFY_FAILED = "verify_failed"


class ReplayMode(StrEnum):
    """How the hub brings a client up to date after `welcome`."""

    REPLAY = "replay"
    SNAPSHOT = "snapshot"


class ErrorCode(StrEnum):
    """`code` of an `error` frame or of a failed `command.result`."""

    BAD_MESSAGE = "bad_message"
    UNKNOWN_COMMAND = "unknown_command"
    INVALID_ARGS = "invalid_args"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    ILLEGAL_STATE = "illegal_state"
    INTERNAL = "internal"


class CloseCode(IntEnum):
    """WebSocket close codes the hub uses (RFC 6455 codes and the 4000 range)."""

    NORMAL = 1000
    GOING_AWAY = 1001
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    FIRST_FRAME_NOT_HELLO = 4400
    UNAUTHORIZED = 4401
    TOKEN_EXPIRED = 4403
    HELLO_TIMEOUT = 4408
    TOO_MANY_CONNECTIONS = 4409
    TOO_MANY_BAD_FRAMES = 4429
    TOO_SLOW = 4503
