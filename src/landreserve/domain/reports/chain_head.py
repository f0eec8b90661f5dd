"""The history chain's head as printed in every report and on the public page: an anchor a reader keeps
without thinking of it. A later rewrite of the log contradicts the printed head, which anyone can check
with ``landreserve verify-log --anchor SEQ:HASH``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ChainHead:
    """The last history entry when a report was made: its sequence number, hash and time (UTC)."""

    seq: int
    hash: str
    at: datetime

    @property
    def anchor(self) -> str:
        """``SEQ:HASH``, what ``verify-log --anchor`` takes."""
        return f"{self.seq}:{self.hash}"

    @property
    def text(self) -> str:
        """One Chinese sentence for the end of a report.

        >>> ChainHead(7, "ab" * 32, datetime(2026, 12, 7, 10, 30)).text[:30]
        '本报告生成时历史记录链头：第 7 条（2026-12-07 '
        """
        return (
            f"本报告生成时历史记录链头：第 {self.seq} 条（{self.at:%Y-%m-%d %H:%M} UTC），哈希 {self.hash}"
            f"（核对数据此后未被改写：landreserve verify-log --anchor {self.anchor} ）"
        )

    def as_json(self) -> dict:
        return {"seq": self.seq, "hash": self.hash, "at": self.at.isoformat(timespec="seconds")}
