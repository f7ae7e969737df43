from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shelter_monitor.extensions import db


class Region(db.Model):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    iso_code: Mapped[str] = mapped_column(String(8), unique=True)
    katottg: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(120))
    name_uk: Mapped[str] = mapped_column(String(120))

    def name(self, locale: str) -> str:
        return self.name_uk if locale == "uk" else self.name_en

    def __repr__(self) -> str:
        return f"<Region {self.iso_code}>"
