"""One settings object: `config.yaml` for tunables, the environment for secrets and overrides.

Nothing reads configuration at import time. Call `load_settings()` (or build a `Settings` in a test)
and pass it down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config.yaml"


class ConfigError(Exception):
    """The configuration is missing, malformed or incomplete; the message says how to fix it."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeliveryConfig(_Section):
    """Working days and delivery rules shared by the ETA, promise and routing tools."""

    delivery_weekdays: list[str] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    holiday_country: str = "HK"
    # The general (bank/office) holidays are the package's "optional" category; see product.md.
    holiday_categories: list[str] = ["optional"]
    typhoon_signal_suspends_at: int = 8
    black_rain_suspends: bool = True
    default_delivery_hours: tuple[str, str] = ("09:00", "18:00")


class TravelConfig(_Section):
    """The travel-time model: straight-line distance x road factor / speed + harbour delay."""

    provider: str = "model"
    road_factor: float = 1.4
    # km/h per region and time band (band names are keys of `time_bands`).
    speed_kmh: dict[str, dict[str, float]] = Field(default_factory=dict)
    time_bands: dict[str, tuple[str, str]] = Field(default_factory=dict)
    # Minutes added to a harbour crossing in each time band.
    harbour_crossing_delay_min: dict[str, float] = Field(default_factory=dict)
    # Extra minutes to or from an outlying island that is not on the road network.
    island_ferry_min: float = 45.0
    # ISL-region areas (code, name or alias) that ARE on the road network: no ferry minutes for them.
    road_linked_islands: list[str] = Field(default_factory=list)
    service_time_min: float = 8.0


class WeatherConfig(_Section):
    """Where Hong Kong Observatory warnings come from."""

    source: Literal["none", "file", "hko"] = "none"
    file: str | None = None
    hko_url: str = "https://data.weather.gov.hk/weatherAPI/opendata/weather.php"
    timeout_s: float = 3.0
    cache_s: float = 300.0


class LLMConfig(_Section):
    """An OpenAI-compatible endpoint; the key comes only from OPENAI_API_KEY."""

    base_url: str | None = None
    model: str = "gpt-4o-mini"
    temperature: float = 0.0
    timeout_s: float = 20.0
    max_steps: int = 4
    max_retries: int = 1


class UnderstandingConfig(_Section):
    """The deterministic understanding layer."""

    confidence_threshold: float = 0.6
    fuzzy_product_cutoff: float = 80.0
    session_ttl_min: int = 120


class KnowledgeConfig(_Section):
    """SOP knowledge base: documents, embedding, Chroma and fusion settings."""

    sop_dir: str = "knowledge/sop"
    embedding: str = "use-multilingual"
    chroma_mode: Literal["persistent", "http"] = "persistent"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    collection: str = "sop"
    top_k: int = 3
    rrf_k: int = 10
    # Weight of the lexical ranking against the vector ranking in the fusion.
    lexical_weight: float = 1.5
    # Candidates each side (vector, lexical) contributes to the fusion.
    candidates: int = 20
    # A passage is relevant when cosine similarity + 0.5 x lexical coverage reaches this floor.
    min_relevance: float = 0.42
    # An unclear question (no tool recognised) is answered from the SOPs only above this relevance.
    fallback_min_relevance: float = 0.6
    # A question with a data tool's cue but nothing that tool needs (no product, place, order) is answered from
    # the SOPs when the words besides the tool's cue reach this relevance (docs/knowledge-base.md, measured).
    route_min_relevance: float = 0.42
    # Document-level aggregation: each candidate gains doc_weight x the sum of its document's 3 best fused scores.
    doc_weight: float = 0.3
    # Chinese questions also get an English word-by-word rendering (glossary + CC-CEDICT) for English SOPs.
    cross_lingual: bool = True
    # OpenCC conversion applied to questions (s2t: standard Traditional; s2hk: also Hong Kong variant forms).
    opencc_config: str = "s2t"
    # Who the "nothing relevant" answer suggests asking.
    fallback_contact_en: str = "your supervisor or the Operations team"
    fallback_contact_zh: str = "你嘅主管或者營運部同事"


class ForecastConfig(_Section):
    """Demand forecasting and replenishment."""

    horizon_days: int = 35
    interval_width: float = 0.8
    min_history_days: int = 90
    workers: int = 2
    service_level: float = 0.95
    review_period_days: int = 7
    recent_share_days: int = 56
    # Replenishment never targets more than this many days of a location's own mean daily demand.
    replenishment_max_cover_days: int = 28
    # Prophet posterior samples for the interval (fewer = faster batch; 0 is not allowed).
    uncertainty_samples: int = 200
    # A series whose share of zero-sale days is above this uses Croston instead of Prophet.
    intermittent_zero_share: float = 0.6
    # Days around Lunar New Year's first day that count as its effect (before, after).
    lunar_new_year_window: tuple[int, int] = (-3, 5)


class RoutingConfig(_Section):
    """Vehicle routing."""

    time_limit_s: float = 4.0
    seed: int = 1
    # Width of the arrival window told around a planned ETA, minutes.
    arrival_window_min: int = 120


class DatabaseConfig(_Section):
    """How long a request may wait on the database before it is answered without it."""

    # SQLite's busy timeout; PostgreSQL's connect, statement and pool timeouts; the /healthz deadline.
    timeout_seconds: float = Field(default=5.0, gt=0, le=300)


class ChannelsConfig(_Section):
    """Chat platforms. API base URLs may be overridden by SLACK_API_URL, TELEGRAM_API_URL, WHATSAPP_API_URL."""

    slack_api_url: str = "https://slack.com/api/"
    telegram_api_url: str = "https://api.telegram.org"
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    slack_socket_mode: bool = False
    telegram_polling: bool = False
    # The web page's role picker, with roles NOT verified: only for a demo (`serve --demo`, SILOBRIDGE_DEMO=1).
    demo_mode: bool = False
    http_retries: int = 3
    http_backoff_s: float = 0.5


class AuthConfig(_Section):
    """Who the web page believes: a trusted proxy's header, one-time sign-in links, sessions (bot/signin.py)."""

    # Header set by a trusted authenticating proxy (e.g. oauth2-proxy's X-Auth-Request-Email); empty: not trusted.
    trusted_proxy_header: str = ""
    # The address staff open the web page at; sign-in links start with it.
    public_base_url: str = "http://127.0.0.1:8080"
    login_link_minutes: int = Field(default=10, ge=1, le=60)
    session_hours: int = Field(default=12, ge=1, le=24 * 30)


class Settings(_Section):
    """Everything silobridge can be tuned by. Secrets are read from the environment only."""

    home: Path = Path(".silobridge")
    db_url: str | None = None
    brain: Literal["auto", "rules", "llm"] = "auto"
    delivery: DeliveryConfig = DeliveryConfig()
    travel: TravelConfig = TravelConfig()
    weather: WeatherConfig = WeatherConfig()
    llm: LLMConfig = LLMConfig()
    understanding: UnderstandingConfig = UnderstandingConfig()
    kb: KnowledgeConfig = KnowledgeConfig()
    forecast: ForecastConfig = ForecastConfig()
    routing: RoutingConfig = RoutingConfig()
    channels: ChannelsConfig = ChannelsConfig()
    database: DatabaseConfig = DatabaseConfig()
    auth: AuthConfig = AuthConfig()
    # Secrets and process-level overrides, filled from the environment by load_settings().
    env: dict[str, str] = Field(default_factory=dict, exclude=True)

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL: SILOBRIDGE_DB, else a SQLite file under the home folder."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.home / 'silobridge.db').resolve()}"

    def secret(self, name: str) -> str | None:
        """A secret from the environment, or None when unset or left as a placeholder."""
        value = self.env.get(name, "").strip()
        if not value or value.lower() in {"changeme", "xxx", "your-key-here", "todo"}:
            return None
        return value

    def require_secret(self, name: str, purpose: str) -> str:
        """A secret that must be set; fails fast with a message that says how to set it."""
        value = self.secret(name)
        if value is None:
            raise ConfigError(f"{name} is not set: export {name}=... to enable {purpose}.")
        return value

    @property
    def llm_configured(self) -> bool:
        """True when an LLM endpoint can be called (a key, or a base URL for a keyless local server)."""
        return bool(self.secret("OPENAI_API_KEY") or self.llm_base_url)

    @property
    def llm_base_url(self) -> str | None:
        """OPENAI_BASE_URL overrides config.yaml's llm.base_url."""
        return self.env.get("OPENAI_BASE_URL") or self.llm.base_url

    def channel_api_url(self, platform: Literal["slack", "telegram", "whatsapp"]) -> str:
        """A platform's API base URL: the environment override, else config.yaml."""
        override = self.env.get(f"{platform.upper()}_API_URL")
        return override or getattr(self.channels, f"{platform}_api_url")

    def resolve(self, relative: str) -> Path:
        """A path from config.yaml, relative to the project root unless absolute."""
        path = Path(relative)
        return path if path.is_absolute() else PROJECT_ROOT / path


def load_settings(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read config.yaml (or SILOBRIDGE_CONFIG) and overlay the environment.

    SILOBRIDGE_HOME and SILOBRIDGE_DB override `home` and `db_url`.
    """
    environ = dict(os.environ if environ is None else environ)
    config_path = Path(path or environ.get("SILOBRIDGE_CONFIG") or DEFAULT_CONFIG_PATH)
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {config_path} (set SILOBRIDGE_CONFIG to another file)") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_path}: the top level must be a mapping of sections")
    if environ.get("SILOBRIDGE_HOME"):
        raw["home"] = environ["SILOBRIDGE_HOME"]
    if environ.get("SILOBRIDGE_DB"):
        raw["db_url"] = environ["SILOBRIDGE_DB"]
    if environ.get("SILOBRIDGE_BRAIN"):
        raw["brain"] = environ["SILOBRIDGE_BRAIN"]
    if environ.get("SILOBRIDGE_DEMO", "").strip().lower() in {"1", "true", "yes", "on"}:
        # `silobridge serve --demo` sets it, so every `--workers` process is in demo mode too.
        raw["channels"] = {**(raw.get("channels") or {}), "demo_mode": True}
    raw["env"] = environ
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{config_path}: {problems}") from exc
    return settings
