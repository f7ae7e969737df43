"""What the response pages show, assembled from the definition and a response (no request handling here)."""
import json
from dataclasses import dataclass
from typing import Any

from shelter_monitor.questionnaire.answers import Validation, question_label, validate_answers, visible_codes
from shelter_monitor.questionnaire.conditions import is_absent
from shelter_monitor.questionnaire.forms import build_form_class, form_data, form_questions
from shelter_monitor.questionnaire.model import Definition, Label, Question, Section
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.service import asked_sections, context_for, definition_for


def client_rules(definition: Definition, answers: dict[str, Any], context: dict[str, Any], form: str) -> dict:
    """JSON for the browser's skip-logic evaluator: every question's type and condition, in order, with the
    stored answers (other pages' answers decide some of this page's conditions) and the round context."""
    return {
        "sections": [{"code": s.code, "show_if": s.show_if,
                      "questions": [{"code": q.code, "type": q.type, "show_if": q.show_if,
                                     "exclusive": [c.value for c in q.choices if c.exclusive]}
                                    for q in s.questions if q.form == form]}
                     for s in definition.sections],
        "answers": answers,
        "context": context,
    }


@dataclass
class SectionPage:
    """One section of one response as a page of the form."""

    response: Response
    section: Section

    @property
    def definition(self) -> Definition:
        return definition_for(self.response)

    @property
    def questions(self) -> list[Question]:
        return [q for q in self.section.questions if q.form == "shelter"]

    def form(self, formdata=None):
        form_class = build_form_class(self.questions, self.response.answers)
        return form_class(formdata=formdata, data=form_data(self.questions, self.response.answers))

    def page_answers_json(self) -> str:
        return json.dumps({q.code: self.response.answers.get(q.code) for q in form_questions(self.questions)},
                          ensure_ascii=False)

    def validation(self, complete: bool) -> Validation:
        """The page's problems as they stand: cross-field checks always, missing answers when `complete`."""
        codes = {q.code for q in self.questions}
        return validate_answers(self.definition, self.response.answers, context_for(self.response.round),
                                complete=complete, only=codes)

    def visible(self) -> set[str]:
        return set(visible_codes(self.definition, self.response.answers, context_for(self.response.round)))

    def rules(self) -> dict:
        return client_rules(self.definition, self.response.answers, context_for(self.response.round), "shelter")

    def neighbours(self) -> tuple[Section | None, Section | None]:
        sections = asked_sections(self.response)
        index = sections.index(self.section)
        previous = sections[index - 1] if index > 0 else None
        following = sections[index + 1] if index + 1 < len(sections) else None
        return previous, following


def answered_sections(response: Response) -> list[tuple[Section, list[tuple[Question, Any]]]]:
    """The visible, answered questions of each section, for read-only views."""
    definition = definition_for(response)
    visible = visible_codes(definition, response.answers, context_for(response.round))
    result = []
    for section in asked_sections(response):
        rows = [(q, response.answers.get(q.code)) for q in section.questions if q.code in visible]
        if rows:
            result.append((section, rows))
    return result


def question_labels(response: Response) -> dict[str, Label]:
    """Each question's wording for this response, chosen as its form chooses it (`question_label`: a children's
    institution is asked C5a-d about children), so that a read-only page words the answers as they were asked."""
    return {q.code: question_label(q, response.answers) for q in definition_for(response).questions}


@dataclass
class SectionProblems:
    section: Section
    unanswered: int
    problems: list[tuple[str, list]]


def summarise_problems(response: Response, validation: Validation) -> list[SectionProblems]:
    """Submission problems per section: how many questions are unanswered, and each other problem by code."""
    summary = []
    for section in asked_sections(response):
        codes = [q.code for q in section.questions if q.code in validation.errors]
        unanswered = [c for c in codes if is_absent(response.answers.get(c))]
        problems = [(c, validation.errors[c]) for c in codes if c not in unanswered]
        if codes:
            summary.append(SectionProblems(section, len(unanswered), problems))
    return summary


def answer_warnings(response: Response) -> dict[str, list]:
    """Question code -> the warnings of the definition's checks on the answers as they stand (a visit date outside
    the round, ...), in every state: they do not stop submission, so they stay in view after it, for the monitor
    and for the coordinator reviewing."""
    definition = definition_for(response)
    return validate_answers(definition, response.answers, context_for(response.round), complete=False).warnings
