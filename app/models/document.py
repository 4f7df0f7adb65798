"""Scanned documents. Every byte lives in the object store; a row is written only once its object is."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.models.base import LabelledEnum, created_at_column, enum_column


class ExtractionState(LabelledEnum):
    waiting = _l("Waiting")
    indexed = _l("Indexed")
    failed = _l("Failed")


class Document(Model):
    __tablename__ = "document"
    # The list, newest first, whole or for one sector's team (migration 0008).
    __table_args__ = (Index("ix_document_uploaded_at", "uploaded_at"),
                      Index("ix_document_sector_uploaded", "sector_id", "uploaded_at"))
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("application.id"), index=True)
    application = relationship("Application", back_populates="documents")
    # Copied from the application (or set for a loose archive scan) so a team's scope is one column.
    sector_id = Column(Integer, ForeignKey("sector.id"), index=True)
    sector = relationship("Sector")
    document_type_id = Column(Integer, ForeignKey("document_type.id"), nullable=False)
    document_type = relationship("DocumentType")
    object_key = Column(String(200), unique=True, nullable=False)
    original_filename = Column(String(255), nullable=False)
    media_type = Column(String(100), nullable=False)
    size = Column(BigInteger, nullable=False)
    sha256 = Column(String(64), nullable=False, index=True)
    version = Column(Integer, nullable=False, default=1)
    previous_version_id = Column(Integer, ForeignKey("document.id"))
    previous_version = relationship("Document", remote_side=[id])
    is_current = Column(Boolean, nullable=False, default=True)
    uploaded_by_id = Column(Integer, ForeignKey("ab_user.id"))
    uploaded_by = relationship("User")
    uploaded_at = created_at_column()
    extraction_state = enum_column(ExtractionState, nullable=False, default=ExtractionState.waiting)
    extraction_error = Column(Text)

    pages = relationship("DocumentPage", order_by="DocumentPage.number", cascade="all, delete-orphan",
                         passive_deletes=True)

    def __repr__(self) -> str:
        return f"{self.original_filename} (v{self.version})"


class DocumentPage(Model):
    """The text of one page, as extracted (text layer or OCR); the search index is rebuilt from these."""

    __tablename__ = "document_page"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id = Column(Integer, primary_key=True)
    document_id = Column(Integer, ForeignKey("document.id", ondelete="CASCADE"), nullable=False, index=True)
    number = Column(Integer, nullable=False)  # from 1
    text = Column(Text, nullable=False, default="")
    ocr = Column(Boolean, nullable=False, default=False)
