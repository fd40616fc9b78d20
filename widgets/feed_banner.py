"""A one-line banner over the work area saying why the screen may not show the hub's state now.

Calm by default (ISA-101): hidden while the feed is live; a neutral grey line while the
console shows its cache or catches up (normal, expected, soon over); the connection colour
(`warn`, `danger`), a symbol and plain words only when something is wrong: the feed is down,
the hub has gone quiet, or the console stopped trying. It takes plain values, so it knows
nothing of the feed: the console tells it the kind and the numbers.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from widgets.theme import color

KINDS: dict[str, tuple[str, str]] = {
    "connecting": ("○", "text.muted"),
    "cached": ("◔", "text.muted"),
    "catching_up": ("◐", "text.muted"),
    "silent": ("⚠", "warn"),
    "down": ("↻", "warn"),
    "stopped": ("✕", "danger"),
}
"""Kind → (symbol, colour token). Grey kinds are normal transitions; coloured ones are abnormal."""


translate = QCoreApplication.translate


def age_text(seconds: float) -> str:
    """A data age as people say it: "45 s", "2 min 13 s", "3 h 5 min", "2 d 4 h"."""
    s = max(0, int(seconds))
    if s < 60:
        return translate("FeedBanner", "%1 s").replace("%1", str(s))
    if s < 3600:
        return translate("FeedBanner", "%1 min %2 s").replace("%1", str(s // 60)).replace("%2", str(s % 60))
    if s < 86_400:
        return translate("FeedBanner", "%1 h %2 min").replace("%1", str(s // 3600)).replace("%2", str(s % 3600 // 60))
    return translate("FeedBanner", "%1 d %2 h").replace("%1", str(s // 86_400)).replace("%2", str(s % 86_400 // 3600))


class FeedBanner(QFrame):
    """Hidden when `set_state(None)`; otherwise one sentence, a symbol and (if abnormal) a colour.

    Signals: `state_changed(object)` with the kind (a str, or None when hidden) whenever the
    kind or the sentence changed.
    """

    state_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner.feed")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._kind: str | None = None
        self._symbol = QLabel(self)
        self._symbol.setObjectName("banner.feed.symbol")
        self._label = QLabel(self)
        self._label.setObjectName("banner.feed.text")
        # Ignored: a long sentence is clipped by a narrow window instead of widening it.
        self._label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(10)
        layout.addWidget(self._symbol)
        layout.addWidget(self._label, 1)
        self.setVisible(False)

    @property
    def kind(self) -> str | None:
        return self._kind

    def text(self) -> str:
        return self._label.text()

    def set_state(
        self, kind: str | None, *, age_s: float | None = None, behind: int = 0, cached_at: str = "",
        detail: str = "", waiting: int = 0, fault: str = "",
    ) -> None:
        """Show one state (see `KINDS`), or hide with None.

        `age_s`: seconds since the data was last known current; `behind`: events still to
        apply; `cached_at`: when the cache shown was current, already formatted ("14:03");
        `detail`: why the console stopped; `waiting`: commands not yet answered by the hub;
        `fault`: an error of this console that ended the connection (said until it is live again).
        """
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown banner kind {kind!r}; expected one of {sorted(KINDS)}")
        text = self._sentence(kind, age_s, behind, cached_at, detail)
        if kind is not None and waiting:
            if waiting == 1:
                more = translate("FeedBanner", "1 action waiting to be sent")
            else:
                more = translate("FeedBanner", "%1 actions waiting to be sent").replace(
                    "%1", QLocale().toString(waiting))
            text = f"{text} · {more}"
        if kind is not None and fault:
            text = f"{text} · " + translate("FeedBanner", "after an error in this console: %1 (see the log)").replace(
                "%1", fault)
        changed = kind != self._kind or text != self._label.text()
        if kind != self._kind:
            self._kind = kind
            self._restyle()
        if text != self._label.text():
            self._label.setText(text)
            self.setAccessibleName(text)
        self.setVisible(kind is not None)
        if changed:
            self.state_changed.emit(kind)

    def _sentence(self, kind: str | None, age_s: float | None, behind: int, cached_at: str, detail: str) -> str:
        age = age_text(age_s) if age_s is not None else ""
        if kind is None:
            return ""
        if kind == "connecting":
            return translate("FeedBanner", "Connecting to the hub…")
        if kind == "cached":
            sentence = translate("FeedBanner", "Showing cached data from %1, not yet confirmed by the hub")
            return sentence.replace("%1", cached_at)
        if kind == "catching_up":
            if behind <= 0:
                return translate("FeedBanner", "Catching up with the hub…")
            return translate("FeedBanner", "Catching up: %1 events behind").replace("%1", QLocale().toString(behind))
        if kind == "silent":
            return translate("FeedBanner", "Hub not responding — data is %1 old").replace("%1", age or "?")
        if kind == "down":
            if not age:
                return translate("FeedBanner", "Feed down, reconnecting")
            return translate("FeedBanner", "Feed down — data is %1 old, reconnecting").replace("%1", age)
        reason = detail or translate("FeedBanner", "closed")
        if not age:
            return translate("FeedBanner", "Feed stopped: %1").replace("%1", reason)
        return translate("FeedBanner", "Feed stopped — data is %1 old: %2").replace("%1", age).replace("%2", reason)

    def _restyle(self) -> None:
        if self._kind is None:
            return
        symbol, token = KINDS[self._kind]
        accent = color(token).name()
        abnormal = token != "text.muted"
        self._symbol.setText(symbol)
        self.setStyleSheet(
            f"QFrame#banner\\.feed {{ background: {color('surface.raised').name()};"
            f" border: none; border-left: 4px solid {accent}; border-bottom: 1px solid {color('border').name()}; }}"
            f" QLabel {{ background: transparent; color: {color('text').name()}; }}"
            f" QLabel#banner\\.feed\\.symbol {{ color: {accent}; font-weight: bold; }}"
            + (" QLabel#banner\\.feed\\.text { font-weight: bold; }" if abnormal else "")
        )


class ProblemBanner(QFrame):
    """Lasting problems of this workstation, one line each, in the danger colour, until they are gone.

    Unlike `FeedBanner`'s states these do not pass by themselves (actions not saved to disk,
    events this console could not read): the console sets the lines on every refresh, and a
    line goes only when its cause has. Hidden with no lines. Each line may carry a tooltip
    (the technical detail, e.g. a file's path and the error).

    Signals: `changed(object)` with the list of lines whenever they changed.
    """

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner.problems")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._lines: list[tuple[str, str]] = []
        self._labels: list[QLabel] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 6, 12, 6)
        self._layout.setSpacing(4)
        self._restyle()
        self.setVisible(False)

    def texts(self) -> list[str]:
        return [text for text, _ in self._lines]

    def set_problems(self, lines: list[tuple[str, str]]) -> None:
        """Show these (sentence, tooltip) lines, or hide with an empty list."""
        if lines == self._lines:
            return
        self._lines = list(lines)
        while len(self._labels) < len(lines):
            label = QLabel(self)
            label.setObjectName("banner.problems.text")
            # Ignored: a long sentence is clipped by a narrow window (whole in the tooltip), never widens it.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self._layout.addWidget(label)
            self._labels.append(label)
        for index, label in enumerate(self._labels):
            if index < len(lines):
                text, tip = lines[index]
                label.setText(f"✕ {text}")
                label.setToolTip(f"{text}\n\n{tip}" if tip else text)
                label.setAccessibleName(text)
            label.setVisible(index < len(lines))
        self.setVisible(bool(lines))
        self.changed.emit(self.texts())

    def _restyle(self) -> None:
        accent = color("danger").name()
        self.setStyleSheet(
            f"QFrame#banner\\.problems {{ background: {color('surface.raised').name()};"
            f" border: none; border-left: 4px solid {accent}; border-bottom: 1px solid {color('border').name()}; }}"
            f" QLabel {{ background: transparent; color: {color('text').name()}; font-weight: bold; }}"
        )
