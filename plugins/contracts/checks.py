"""Deploy checks: production signs contracts with keys loaded from PKCS#12 files, never with the
development PKI, and timestamps with a real TSA rather than the development key."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def signing_keys_configured(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    found = []
    for name in ("CONTRACTS_CA_P12", "CONTRACTS_PLATFORM_P12"):
        path = getattr(settings, name, "")
        if not path:
            found.append(
                checks.Warning(
                    f"{name} is not set: contracts cannot be signed in production (the development PKI is refused).",
                    hint=f"Set {name} (and {name}_PASSWORD) to the PKCS#12 file of the key.",
                    id="contracts.W001",
                )
            )
        elif not Path(path).is_file():
            found.append(checks.Error(f"{name} names {path}, which is not a file.", id="contracts.E001"))
    if settings.CONTRACTS_TSA_URL == "internal":
        found.append(
            checks.Warning(
                "CONTRACTS_TSA_URL is 'internal': timestamps would be signed by the development TSA key.",
                hint="Set CONTRACTS_TSA_URL to an RFC 3161 service, or leave it empty for B-B signatures.",
                id="contracts.W002",
            )
        )
    return found
