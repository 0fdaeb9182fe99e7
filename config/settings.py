"""Settings, read from the environment (12-factor).

With nothing set the platform runs on its embedded defaults: SQLite, Celery tasks
run eagerly in-process, local media and a local-memory cache. Setting
DATABASE_URL, CELERY_BROKER_URL/REDIS_URL or ELASTICSEARCH_URL switches to the real
services. DJANGO_ENV=production turns on the hardened settings and refuses to
start without SECRET_KEY and ALLOWED_HOSTS.
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  Oscar's documented way to take its defaults

from core.orders import status as order_status

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    # No fallback: a production process must be given its secrets and hosts.
    for required in ("SECRET_KEY", "ALLOWED_HOSTS"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production")
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DEBUG = False
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# a form sent without a valid CSRF token gets the platform's styled 403 page (core/errors.py)
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# --- apps -------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "axes",
    # Oscar, with the apps we adapt forked into shop/
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "shop.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    "graphene_django",
    "csp",
    # our own apps: the platform core, the storefront, then the plugins
    "core.apps.CoreConfig",
    "storefront.apps.StorefrontConfig",
    "companies.apps.CompaniesConfig",
    "plugins.logistics.apps.LogisticsConfig",
    "plugins.member_tiers.apps.MemberTiersConfig",
    "plugins.s2b2b_orders.apps.S2B2BOrdersConfig",
    "plugins.finance.apps.FinanceConfig",
    "plugins.contracts.apps.ContractsConfig",
    "plugins.bigdata.apps.BigdataConfig",
    "plugins.aftersales.apps.AfterSalesConfig",
]
INSTALLED_APPS += env.list("EXTRA_PLUGIN_APPS", default=[])
# Plugins are optional: DISABLED_PLUGIN_APPS=plugins.logistics,plugins.member_tiers runs the platform
# without them (the kernel's fallbacks apply: list prices, free shipping, bank transfer only).
DISABLED_PLUGIN_APPS = env.list("DISABLED_PLUGIN_APPS", default=[])
for _disabled in DISABLED_PLUGIN_APPS:
    _matching = [a for a in INSTALLED_APPS if a == _disabled or a.startswith(f"{_disabled}.apps.")]
    if not _disabled.startswith("plugins.") or not _matching:
        raise ImproperlyConfigured(f"DISABLED_PLUGIN_APPS: {_disabled!r} is not an installed plugin (plugins.<name>)")
    INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in _matching]
# a plugin that builds on another leaves with it: finance settles and refunds supplier orders
# (its documents refer to them), so it needs s2b2b_orders
PLUGIN_REQUIRES = {"plugins.finance": "plugins.s2b2b_orders", "plugins.aftersales": "plugins.s2b2b_orders"}
for _plugin, _needed in PLUGIN_REQUIRES.items():
    if not any(a == _needed or a.startswith(f"{_needed}.apps.") for a in INSTALLED_APPS):
        INSTALLED_APPS = [a for a in INSTALLED_APPS if not (a == _plugin or a.startswith(f"{_plugin}.apps."))]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PlatformLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # who may open each route, declared per URL name on the AppConfigs (core/urlaccess.py)
    "core.middleware.AccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below)
    "core.middleware.ContentSecurityPolicyMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # last: answers a locked-out sign-in with the lockout page (HTTP 429)
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# widgets render through TEMPLATES, so templates/ can override a widget template as it does a page
# (Oscar's image upload widget: its inline handlers are replaced for the Content-Security-Policy)
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

AUTHENTICATION_BACKENDS = [
    # first: refuses a sign-in while the account or the address is locked out (django-axes)
    "core.auth_backends.SignInThrottle",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins an account, and
# separately the address they came from, is locked for AXES_COOLOFF_MINUTES; a successful sign-in
# clears the account's count. Every failure is logged (axes.watch_login) and listed for operators
# in the back office (登录锁定), where they can lift a lockout.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_USERNAME_CALLABLE = "core.http.login_username"
AXES_LOCKOUT_CALLABLE = "core.http.lockout_response"
AXES_VERBOSE = True
AXES_DISABLE_ACCESS_LOG = True  # failures are what operators need; sign-ins are not logged twice
# Django's admin: at /admin/ while developing; in production only where ADMIN_URL says (an
# unguessable path, e.g. "ops-7f3k/"), and not at all when it is unset (operators work in
# the back office at /dashboard/)
ADMIN_URL = env.str("ADMIN_URL", default="" if PRODUCTION else "admin/")
if DJANGO_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, for tests only

# --- data -------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real broker when one is configured, otherwise every task runs in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
# Periodic jobs are declared by the plugins (PluginAppConfig.beat_schedule); config/celery.py collects them.
# The outbox's workers (core.outbox.worker): messages claimed per batch, sending threads per
# worker, and how long a claim lasts before another worker may take it over.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_CONCURRENCY = env.int("OUTBOX_CONCURRENCY", default=24)
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=120.0)

# Analytics facts live in PostgreSQL; with an Elasticsearch cluster configured they are also
# indexed there (alias ELASTICSEARCH_INDEX) and the reports read the index. Tests never index into
# a configured cluster by accident: the real-cluster parity test reads the variable itself and
# works on a throwaway alias.
ELASTICSEARCH_URL = "" if DJANGO_ENV == "test" else env.str("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX = env.str("ELASTICSEARCH_INDEX", default="s2b2b-sales-facts")
ANALYTICS_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "postgres"

# Product search: Haystack's database backend (substring search works for Chinese titles).
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"  # the database backend keeps no index

# --- files and email --------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# uploads served by Django itself (config/urls.py): while developing, and by bin/demo, which runs
# with DEBUG off; in production the web server or object storage serves them
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
# WhiteNoise serves the static files straight from the apps' and static/ directories outside
# production, with DEBUG on or off (bin/demo runs with it off); production serves the collected,
# hashed files from STATIC_ROOT
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Files no URL serves (core.files.private_storage: shipment vouchers …), read back only through
# views that check who is asking (never inside MEDIA_ROOT: check core.E003). Under test, they
# default to a directory beside MEDIA_ROOT (the test run's temporary one).
PRIVATE_MEDIA_ROOT = Path(
    env.str(
        "PRIVATE_MEDIA_ROOT",
        default=str(
            MEDIA_ROOT.with_name(f"{MEDIA_ROOT.name}-private") if DJANGO_ENV == "test" else BASE_DIR / "var" / "private"
        ),
    )
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "core.staticfiles.StaticFilesStorage"  # WhiteNoise's, hashed and compressed
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@s2b2b.local")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- language, time, money --------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

OSCAR_DEFAULT_CURRENCY = "CNY"
# sorl-thumbnail with each answer remembered in the process (core/thumbnails.py: twenty store
# reads per product list page otherwise)
OSCAR_THUMBNAILER = "core.thumbnails.MemoisedSorlThumbnail"
# prices are VAT-inclusive (含税价): offers discount the price the buyer sees
OSCAR_OFFERS_INCL_TAX = True
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¤#,##0.00", "currency_digits": True}}
PHONENUMBER_DEFAULT_REGION = "CN"

# --- Oscar ------------------------------------------------------------------------------------

OSCAR_SHOP_NAME = env.str("SHOP_NAME", default="链采通 S2B2B")
# the platform's name and logo (a static file) in the back office, the supplier portal, their
# sign-in page and the error pages
PLATFORM_NAME = OSCAR_SHOP_NAME
PLATFORM_LOGO = env.str("PLATFORM_LOGO", default="core/logo.svg")
OSCAR_SHOP_TAGLINE = _("Industrial supplies for distributors")
OSCAR_ALLOW_ANON_CHECKOUT = False
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_HIDDEN_FEATURES = ["reviews", "wishlists"]
OSCAR_SEND_REGISTRATION_EMAIL = False
OSCAR_EAGER_ALERTS = False
# The dashboard menu shows an entry only when the access rules let the user open its page.
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "core.urlaccess.menu_access"
# Chinese product and category names make Chinese slugs rather than empty ones.
OSCAR_SLUG_ALLOW_UNICODE = True
# Chinese addresses: consignee, province, city, street; no first/last name split.
OSCAR_REQUIRED_ADDRESS_FIELDS = ("last_name", "line1", "line4", "state", "country", "phone_number")

# Order statuses, their pipeline and cascade: one module (core.orders.status) holds them.
OSCAR_INITIAL_ORDER_STATUS = order_status.INITIAL
OSCAR_INITIAL_LINE_STATUS = order_status.INITIAL
OSCAR_ORDER_STATUS_PIPELINE = order_status.PIPELINE
OSCAR_LINE_STATUS_PIPELINE = order_status.LINE_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = order_status.CASCADE

# Platform bank account shown to buyers paying by transfer (对公转账).
PLATFORM_BANK_ACCOUNT = {
    "name": env.str("PLATFORM_BANK_ACCOUNT_NAME", default="链采通供应链管理有限公司"),
    "bank": env.str("PLATFORM_BANK_NAME", default="招商银行上海分行营业部"),
    "number": env.str("PLATFORM_BANK_ACCOUNT_NUMBER", default="1219 0888 0010 001"),
}

# The platform as a contracting party (the merchant of record): what contracts and fapiao state.
PLATFORM_LEGAL = {
    "legal_name": env.str("PLATFORM_LEGAL_NAME", default="链采通供应链管理有限公司"),
    "uscc": env.str("PLATFORM_USCC", default="913101150000XGN437"),
    "representative": env.str("PLATFORM_REPRESENTATIVE", default="陈立平"),
    "address": env.str("PLATFORM_ADDRESS", default="上海市浦东新区张江路 88 号 6 楼"),
    "phone": env.str("PLATFORM_PHONE", default="021-6088 1234"),
    "bank": PLATFORM_BANK_ACCOUNT["bank"],
    "account": PLATFORM_BANK_ACCOUNT["number"],
}

# Contracts (plugins/contracts): where contracts are signed (签订地点, 民法典 Art. 492), the keys
# the platform signs with, an RFC 3161 timestamping service, and the CJK font cache. Without
# CONTRACTS_PLATFORM_P12 the development PKI in CONTRACTS_PKI_DIR is used (created by
# ``manage.py contracts_dev_pki``; refused in production).
CONTRACTS_SIGNING_PLACE = env.str("CONTRACTS_SIGNING_PLACE", default="上海市浦东新区")
CONTRACTS_PKI_DIR = env.str("CONTRACTS_PKI_DIR", default=str(BASE_DIR / "var" / "pki"))
CONTRACTS_CA_P12 = env.str("CONTRACTS_CA_P12", default="")
CONTRACTS_CA_P12_PASSWORD = env.str("CONTRACTS_CA_P12_PASSWORD", default="")
CONTRACTS_PLATFORM_P12 = env.str("CONTRACTS_PLATFORM_P12", default="")
CONTRACTS_PLATFORM_P12_PASSWORD = env.str("CONTRACTS_PLATFORM_P12_PASSWORD", default="")
# "internal": the development PKI's own timestamping key signs tokens in process (demo contracts reach B-LT)
CONTRACTS_TSA_URL = env.str("CONTRACTS_TSA_URL", default="internal" if DJANGO_ENV == "development" else "")
CONTRACTS_FONT_CACHE = env.str("CONTRACTS_FONT_CACHE", default=str(BASE_DIR / "var" / "cache" / "fonts"))
# the one-time signing code: minutes valid, attempts, seconds before a resend
CONTRACTS_CODE_MINUTES = env.int("CONTRACTS_CODE_MINUTES", default=10)
CONTRACTS_CODE_ATTEMPTS = env.int("CONTRACTS_CODE_ATTEMPTS", default=5)
CONTRACTS_CODE_RESEND_SECONDS = env.int("CONTRACTS_CODE_RESEND_SECONDS", default=60)
# framework agreements: how long one runs, and how many days before its end reminders start
CONTRACTS_FRAMEWORK_MONTHS = env.int("CONTRACTS_FRAMEWORK_MONTHS", default=12)
CONTRACTS_RENEWAL_REMINDER_DAYS = env.int("CONTRACTS_RENEWAL_REMINDER_DAYS", default=30)
# 骑缝章: the buyer's signature also stamps slices of its seal across the right edge of every page
CONTRACTS_RIDING_SEAL = env.bool("CONTRACTS_RIDING_SEAL", default=True)
# B-LTA: signed contracts get a new archive timestamp when their last revision is this old (checked
# daily; only with a timestamping service)
CONTRACTS_ARCHIVE_EVERY_DAYS = env.int("CONTRACTS_ARCHIVE_EVERY_DAYS", default=365)
# a sales contract for every new order of a company on that policy (made and rendered after the
# order commits); the tests of other features switch it off, tests/contracts on
CONTRACTS_FOR_NEW_ORDERS = env.bool("CONTRACTS_FOR_NEW_ORDERS", default=DJANGO_ENV != "test")
# the demo's signed contracts (a dozen PDFs rendered and signed); the other plugins' demo tests
# switch them off to stay fast, tests/contracts/test_demo.py switches them on
CONTRACTS_DEMO = env.bool("CONTRACTS_DEMO", default=DJANGO_ENV != "test")

# finance: settlement — a delivered supplier order becomes settleable this many days after its
# delivery (the after-sales window: returns within it are refunded before the supplier is paid)
FINANCE_AFTER_SALES_DAYS = env.int("FINANCE_AFTER_SALES_DAYS", default=7)
# plugins.aftersales: days after delivery (or receipt confirmed) in which a buyer may open an after-sales request
AFTERSALES_WINDOW_DAYS = env.int("AFTERSALES_WINDOW_DAYS", default=15)
#: 确认收货: a delivered supplier part completes by itself this many days after delivery
SUPPLIER_ORDER_AUTO_CONFIRM_DAYS = env.int("SUPPLIER_ORDER_AUTO_CONFIRM_DAYS", default=7)

# finance: invoices (发票). The VAT rate inside a price when neither the product nor one of its
# categories has a tax class (13 %: most goods); the invoice provider (a dotted path of a
# plugins.finance.invoices.providers.InvoiceProvider; the built-in one numbers and renders the
# PDF itself) and the seller printed on invoices (the platform, merchant of record).
FINANCE_DEFAULT_VAT_RATE = env.str("FINANCE_DEFAULT_VAT_RATE", default="0.13")
FINANCE_INVOICE_PROVIDER = env.str(
    "FINANCE_INVOICE_PROVIDER", default="plugins.finance.invoices.providers.BuiltInProvider"
)
FINANCE_INVOICE_ISSUER = env.str("FINANCE_INVOICE_ISSUER", default="开票员")
FINANCE_INVOICE_REGION = env.str("FINANCE_INVOICE_REGION", default="31")

# Companies (企业客户, companies/): whether a company must be verified before its people may order
# at all (ordering on account always needs a verified company), and the versions of the user
# agreement and privacy policy a registering user consents to (recorded with the consent, PIPL).
COMPANY_VERIFICATION_REQUIRED_TO_ORDER = env.bool("COMPANY_VERIFICATION_REQUIRED_TO_ORDER", default=False)
USER_AGREEMENT_VERSION = env.str("USER_AGREEMENT_VERSION", default="2026-11")
PRIVACY_POLICY_VERSION = env.str("PRIVACY_POLICY_VERSION", default="2026-11")
COMPANY_LICENCE_MAX_BYTES = env.int("COMPANY_LICENCE_MAX_BYTES", default=5 * 1024 * 1024)
# a company admin's e-mail invitation: days its link stays valid; pending invitations per company
COMPANY_INVITATION_DAYS = env.int("COMPANY_INVITATION_DAYS", default=7)
COMPANY_INVITATION_MAX_PENDING = env.int("COMPANY_INVITATION_MAX_PENDING", default=50)
# Purchase approval (采购审批): how long an order waits for its approvers (its credit held, its
# basket frozen) before it expires; the e-mail links to it are signed for as long.
COMPANY_APPROVAL_HOLD_HOURS = env.int("COMPANY_APPROVAL_HOLD_HOURS", default=72)

# --- GraphQL ----------------------------------------------------------------------------------

GRAPHENE = {
    "SCHEMA": "config.schema.schema",
    "ATOMIC_MUTATIONS": True,
    # every field's arguments checked at the edge: no NUL, finite decimals (core/graphql/inputs.py)
    "MIDDLEWARE": ["core.graphql.inputs.EdgeMiddleware"],
}
GRAPHQL_MAX_PAGE_SIZE = 100
# What one request may ask for, refused before anything runs (core/graphql/limits.py): characters
# of the query, field selections (fragments expanded), aliases, nesting depth, cost (a field's
# selections count once per row of the page it asks for) and mutations per request.
GRAPHQL_MAX_QUERY_CHARS = env.int("GRAPHQL_MAX_QUERY_CHARS", default=20_000)
GRAPHQL_MAX_FIELDS = env.int("GRAPHQL_MAX_FIELDS", default=300)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=30)
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=10)
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=5_000)
GRAPHQL_MAX_MUTATIONS = env.int("GRAPHQL_MAX_MUTATIONS", default=10)
# Introspection and GraphiQL: for everyone while developing and testing, in production only for
# signed-in staff.
GRAPHQL_INTROSPECTION_FOR_ALL = env.bool("GRAPHQL_INTROSPECTION_FOR_ALL", default=not PRODUCTION)
# Requests per window: per API token, and per client address for everything else (sessions,
# anonymous, wrong tokens); over it, HTTP 429 with Retry-After. Counted in the cache (Redis when
# REDIS_URL is set, shared by all web processes). 0 turns a limit off; the test settings do, and
# the tests of the limits switch them on.
GRAPHQL_RATE_LIMIT_WINDOW_SECONDS = env.int("GRAPHQL_RATE_LIMIT_WINDOW_SECONDS", default=60)
GRAPHQL_RATE_LIMIT_PER_TOKEN = env.int("GRAPHQL_RATE_LIMIT_PER_TOKEN", default=0 if DJANGO_ENV == "test" else 600)
GRAPHQL_RATE_LIMIT_PER_IP = env.int("GRAPHQL_RATE_LIMIT_PER_IP", default=0 if DJANGO_ENV == "test" else 300)

# --- security ---------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    OSCAR_BASKET_COOKIE_SECURE = True
    OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
    LANGUAGE_COOKIE_SECURE = True  # 语言 cookie too, like the session's: only over HTTPS
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from the platform
# itself (no CDN, no inline script). Two narrow allowances, both for Oscar's templates, which we
# render without copying them:
# - the body-onload block of the pinned oscar/base.html is an inline <script> carrying a per-request
#   nonce (Oscar's pages fill that block with init calls built from their context, e.g. the
#   dashboard's language and options; moving each into a static file would mean copying ~24 of
#   Oscar's templates). Injected markup cannot know the nonce.
# - Oscar's few constant inline handlers ("cancel" links, the mini-basket button, "print") are
#   allowed by their exact hash ('unsafe-hashes'): only these strings run, nothing else inline.
# Style attributes are everywhere in Oscar's templates (and Bootstrap's widgets set them), so
# style-src-attr allows them; <style> elements and stylesheets still come only from the platform.
OSCAR_INLINE_HANDLERS = (
    "window.history.go(-1);return false",
    "history.go(-1);return false",
    "javascript:history.go(-1);",
    "window.print()",
    "window.close();return false;",
    "window.location.href='/basket/';",
)


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE, "'unsafe-hashes'", *map(_csp_hash, OSCAR_INLINE_HANDLERS)],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {"oscar.checkout": {"level": "WARNING"}},
}
