from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField  # takes uploaded files only: a plain field of that name is no file
from wtforms import BooleanField, SelectField
from wtforms.validators import DataRequired, Optional

from shelter_monitor.inputs import BaseForm

KINDS = [("deck", _l("Presentation (PPTX)")), ("pdf", _l("Report (PDF)")), ("xlsx", _l("Data (XLSX)")),
         ("csv", _l("Responses (CSV)")), ("sav", _l("Responses for SPSS (SAV)")),
         ("dta", _l("Responses for Stata (DTA)"))]
LANGUAGES = [("uk", "Українська"), ("en", "English")]  # each in its own language


class ExportForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("What"), choices=KINDS, validators=[DataRequired()])
    region = SelectField(_l("Scope"), validators=[Optional()])
    lang = SelectField(_l("Language"), choices=LANGUAGES)
    multi = SelectField(_l("Multiple-choice answers"), choices=[("split", _l("a 0/1 column per choice")),
                                                                ("joined", _l("choices in one cell"))],
                        default="split")
    values = SelectField(_l("Answers as"), choices=[("codes", _l("codes")), ("labels", _l("labels"))],
                         default="codes")
    header = SelectField(_l("Header row"), choices=[("codes", _l("question codes")), ("labels", _l("labels")),
                                                    ("both", _l("codes, then labels"))], default="codes")
    delimiter = SelectField(_l("CSV separator"), choices=[("auto", _l("as usual for the language")),
                                                          (";", _l("semicolon")), (",", _l("comma")),
                                                          ("\t", _l("tab"))], default="auto")
    all_rounds = BooleanField(
        _l("Every round in one file, each row with its round"),
        description=_l("The responses of every round you may see, with a round column; in the XLSX also the "
                       "findings, recommendations and regional forms of every round. The presentation and the "
                       "report always cover this round only."))

    def layout(self) -> dict:
        """The data files' layout choices, as downloads.service.build_file takes them."""
        delimiter = None if self.delimiter.data == "auto" else self.delimiter.data
        return {"values": self.values.data, "header": self.header.data, "delimiter": delimiter,
                "all_rounds": bool(self.all_rounds.data)}


IMPORT_SOURCES = [("platform", _l("This platform's export layout")), ("odk-central", _l("ODK Central (CSV export)")),
                  ("kobo", _l("KoboToolbox (XLSX or CSV export, XML values and headers)"))]


class ImportForm(BaseForm):
    file = FileField(_l("File (XLSX or CSV in the export's layout)"), validators=[DataRequired()])
    source = SelectField(_l("Collected with"), choices=IMPORT_SOURCES, default="platform")
    import_valid_rows = BooleanField(_l("Import the valid rows even if some rows have errors"))
