"""The reply object: one definition, returned by the CLI, the JSON API and rendered by the pages.

It is a public contract (nonprofits' widgets and scripts read it), so fields are only ever added.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.lang import Lang


class SourceOut(BaseModel):
    model_config = ConfigDict(frozen=True)  # made once per explainer or resource, shared by replies

    title: str
    url: str


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)  # made once per explainer or resource, shared by replies

    id: str
    title: str
    summary: str
    html: str = Field(description="Sanitized HTML of the full explainer")
    sources: list[SourceOut]
    reviewed: str = Field(description="Date a person last checked it against its sources, YYYY-MM-DD")
    urgent: bool
    lang: Lang = Field(description="Language of this explainer (differs from the reply's after a fallback)")


class Suggestion(BaseModel):
    model_config = ConfigDict(frozen=True)  # made once per explainer or resource, shared by replies

    id: str
    title: str


class Referral(BaseModel):
    model_config = ConfigDict(frozen=True)  # made once per explainer or resource, shared by replies

    id: str
    name: str
    kind: str
    description: str
    phone: str | None = None
    url: str | None = None
    languages: list[str]
    coverage: list[str] = Field(description='["national"] or two-letter state codes')
    featured: bool = False
    verified: str


class Reply(BaseModel):
    lang: Lang
    answered: bool
    confidence: float = Field(ge=0.0, le=1.0)
    urgent: bool = Field(description="True when the question describes an emergency happening now")
    answer: Answer | None
    suggestions: list[Suggestion] = Field(description="Up to 3 other topics worth offering")
    topics: list[Suggestion] = Field(description="On a decline, every topic the bot can help with; else empty")
    message: str | None = Field(description="Text shown when declining, else null")
    notices: list[str] = Field(description='Ids such as "personal-data" or "language-fallback"')
    notice_messages: list[str] = Field(description="The text of each notice, in the reply's language")
    referrals: list[Referral] = Field(description="Where to get real help, most relevant first")

    @property
    def shows_banner(self) -> bool:
        """Whether the urgent banner and its number head the reply: an emergency flagged now, or an urgent
        explainer (the door, a detention) however calmly asked. A property, not a field: the API's shape
        and private mode's engine stay as they are (the widget applies the same rule)."""
        return self.urgent or (self.answer is not None and self.answer.urgent)
