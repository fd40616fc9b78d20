"""Write the alert sounds with the standard library only: `python resources/sounds/make_sounds.py`.

Short sine-tone patterns (16-bit mono PCM, 22 050 Hz) with 5 ms fades so they do not click.
Critical: three rising two-tone pulses; high: two soft pulses. Normal alerts make no sound.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
HERE = Path(__file__).resolve().parent

PATTERNS: dict[str, list[tuple[float, float, float]]] = {
    # (frequency Hz, seconds, amplitude 0..1); frequency 0 is silence
    "alert_critical.wav": [(880, 0.12, 0.55), (1175, 0.12, 0.55), (0, 0.06, 0)] * 3,
    "alert_high.wav": [(660, 0.14, 0.35), (0, 0.08, 0), (660, 0.14, 0.35)],
}


def tone(frequency: float, seconds: float, amplitude: float) -> bytes:
    count = int(RATE * seconds)
    fade = int(RATE * 0.005)
    frames = bytearray()
    for i in range(count):
        envelope = min(1.0, i / fade, (count - 1 - i) / fade) if fade else 1.0
        value = amplitude * envelope * math.sin(2 * math.pi * frequency * i / RATE) if frequency else 0.0
        frames += struct.pack("<h", int(value * 32767))
    return bytes(frames)


def write(name: str, pattern: list[tuple[float, float, float]]) -> Path:
    path = HERE / name
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(tone(*part) for part in pattern))
    return path


if __name__ == "__main__":
    for file_name, notes in PATTERNS.items():
        print(write(file_name, notes))
