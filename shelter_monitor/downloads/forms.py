from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, SelectField
from wtforms.validators import DataRequired, Optional

from shelter_monitor.inputs import BaseForm

KINDS = [("deck", _l("Presentation (PPTX)")), ("pdf", _l("Report (PDF)")), ("xlsx", _l("Data (XLSX)")),
         ("csv", _l("Responses (CSV)"))]


class ExportForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("What"), choices=KINDS, validators=[DataRequired()])
    region = SelectField(_l("Scope"), validators=[Optional()])
    lang = SelectField(_l("Language"), choices=[("uk", "Українська"), ("en", "English")])
    multi = SelectField(_l("Multiple-choice answers"), choices=[("split", _l("one column per choice")),
                                                                ("joined", _l("one cell, choices joined"))])


class ImportForm(BaseForm):
    file = FileField(_l("File (XLSX or CSV in the export's layout)"), validators=[DataRequired()])
    import_valid_rows = BooleanField(_l("Import the valid rows even if some rows have errors"))
