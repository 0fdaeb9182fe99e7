"""The platform's PKI: who signs, and what proves their certificates were good at signing time.

Development (and tests) use a PKI of our own under ``settings.CONTRACTS_PKI_DIR``, created by
``manage.py contracts_dev_pki``: a root CA, the platform's signing certificate and an RSA
timestamping key and certificate (pyHanko's in-process timestamper is RSA-only). Production loads
the CA and the platform certificate from PKCS#12 files (``CONTRACTS_CA_P12``,
``CONTRACTS_PLATFORM_P12`` and their passwords) so that a licensed CA's keys can replace ours
(电子签名法 Art. 16: a platform's own CA is not a licensed provider).

Buyers never hold long-lived keys: after their one-time code is verified the CA issues an *event
certificate* — a fresh EC P-256 key, valid a few minutes, subject O=company, CN=person,
organizationIdentifier=NTRCN-<USCC> — the key signs once and is dropped (Art. 13: the creation
data is controlled by the signer alone at signing time).

Revocation: every certificate names a CRL distribution point and an OCSP responder, and the CA
issues the CRL and the OCSP responses itself at signing time (:func:`revocation_info`), so B-LT
signatures embed them with no network access. The URLs are names only; nothing fetches them.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

EVENT_MINUTES = 10  # an event certificate lives just long enough for one signature
CLOCK_SKEW = dt.timedelta(minutes=1)
_FILES = ("root", "platform", "tsa")
_lock = threading.Lock()


class PKIMissing(ImproperlyConfigured):
    """No usable signing keys: the message says which command or setting is missing."""


@dataclass(frozen=True)
class SigningIdentity:
    """What a signature needs: the private key, its certificate and the chain up to the root
    (asn1crypto objects, as pyHanko's SimpleSigner takes them)."""

    key: asn1_keys.PrivateKeyInfo
    cert: asn1_x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]


@dataclass(frozen=True)
class _Authority:
    key: object  # cryptography private key
    cert: x509.Certificate


def _pki_url(name: str) -> str:
    base = getattr(settings, "CONTRACTS_PKI_URL", "") or "http://pki.contracts.invalid"
    return f"{base.rstrip('/')}/{name}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fit(value: str) -> str:
    """X.520 caps CN and O at 64 (cryptography counts UTF-8 bytes): long Chinese company names
    are cut rather than refused; the full name stays in the contract itself."""
    value = value.strip() or "-"
    while len(value.encode()) > 64:
        value = value[:-1]
    return value


def _name(*, common: str, org: str | None = None, org_id: str | None = None) -> x509.Name:
    common, org = _fit(common), _fit(org) if org else None
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if org_id:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def _issue(
    *,
    subject: x509.Name,
    public_key,
    issuer: _Authority | None,
    issuer_key,
    days: float,
    ca: bool = False,
    eku=None,
    email: str | None = None,
    not_before: dt.datetime | None = None,
) -> x509.Certificate:
    now = not_before or _now() - CLOCK_SKEW
    issuer_name = issuer.cert.subject if issuer else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.cert.public_key()), critical=False
        )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True, "digital_signature": True}
    else:
        usage = {"digital_signature": True, "content_commitment": eku is None}
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=usage.get("digital_signature", False),
            content_commitment=usage.get("content_commitment", False),
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=usage.get("key_cert_sign", False),
            crl_sign=usage.get("crl_sign", False),
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([eku]), critical=True)
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    if not ca:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(_pki_url("root.crl"))], None, None, None)]
            ),
            critical=False,
        ).add_extension(
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(x509.OID_OCSP, x509.UniformResourceIdentifier(_pki_url("ocsp")))]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem_key(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _directory(directory: Path | None) -> Path:
    return Path(directory) if directory is not None else Path(settings.CONTRACTS_PKI_DIR)


def ensure_dev_pki(directory: Path | None = None) -> None:
    """Create the development PKI in ``directory`` (default CONTRACTS_PKI_DIR) unless it exists.

    Idempotent: an existing complete PKI is left alone, so signatures made earlier stay valid.
    Without an explicit directory it refuses when DEBUG is off — production keys come from
    PKCS#12 files, and a dev CA silently appearing on a server would sign real contracts.
    """
    if directory is None and not settings.DEBUG:
        raise PKIMissing(
            _(
                "The development PKI is not created in production: configure CONTRACTS_CA_P12 and "
                "CONTRACTS_PLATFORM_P12, or pass an explicit directory."
            )
        )
    target = _directory(directory)
    with _lock:
        if all((target / f"{n}.pem").exists() and (target / f"{n}.key.pem").exists() for n in _FILES):
            return
        target.mkdir(parents=True, exist_ok=True)
        legal = settings.PLATFORM_LEGAL
        root_key = ec.generate_private_key(ec.SECP256R1())
        root_cert = _issue(
            subject=_name(common="合同签署根证书（开发）", org=legal["legal_name"]),
            public_key=root_key.public_key(),
            issuer=None,
            issuer_key=root_key,
            days=365 * 20,
            ca=True,
        )
        root = _Authority(root_key, root_cert)
        platform_key = ec.generate_private_key(ec.SECP256R1())
        platform_cert = _issue(
            subject=_name(common=legal["legal_name"], org=legal["legal_name"], org_id=f"NTRCN-{legal['uscc']}"),
            public_key=platform_key.public_key(),
            issuer=root,
            issuer_key=root_key,
            days=365 * 5,
        )
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        tsa_cert = _issue(
            subject=_name(common="时间戳服务（开发）", org=legal["legal_name"]),
            public_key=tsa_key.public_key(),
            issuer=root,
            issuer_key=root_key,
            days=365 * 10,
            eku=ExtendedKeyUsageOID.TIME_STAMPING,
        )
        for name, key, cert in (
            ("root", root_key, root_cert),
            ("platform", platform_key, platform_cert),
            ("tsa", tsa_key, tsa_cert),
        ):
            key_file = target / f"{name}.key.pem"
            key_file.write_bytes(_pem_key(key))
            key_file.chmod(0o600)
            (target / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _load_dir.cache_clear()


def _load_dir_uncached(directory: str) -> dict[str, _Authority]:
    out = {}
    for name in _FILES:
        key = serialization.load_pem_private_key((Path(directory) / f"{name}.key.pem").read_bytes(), None)
        cert = x509.load_pem_x509_certificate((Path(directory) / f"{name}.pem").read_bytes())
        out[name] = _Authority(key, cert)
    return out


class _DirCache:
    """Keys read once per directory (tests use a fresh directory each, so no stale keys)."""

    def __init__(self):
        self._data: dict[str, dict[str, _Authority]] = {}

    def __call__(self, directory: str) -> dict[str, _Authority]:
        if directory not in self._data:
            self._data[directory] = _load_dir_uncached(directory)
        return self._data[directory]

    def cache_clear(self) -> None:
        self._data.clear()


_load_dir = _DirCache()


def _dev(name: str) -> _Authority:
    directory = _directory(None)
    if not (directory / f"{name}.pem").exists():
        if settings.DEBUG:
            ensure_dev_pki(directory)
        else:
            raise PKIMissing(
                _(
                    "No signing keys: run “manage.py contracts_dev_pki” for development, or set "
                    "CONTRACTS_CA_P12 and CONTRACTS_PLATFORM_P12 in production."
                )
            )
    return _load_dir(str(directory))[name]


def _p12(path: str, password: str) -> tuple[object, x509.Certificate, list[x509.Certificate]]:
    key, cert, extra = pkcs12.load_key_and_certificates(Path(path).read_bytes(), password.encode() or None)
    if key is None or cert is None:
        raise PKIMissing(_("The PKCS#12 file %(path)s holds no key and certificate.") % {"path": path})
    return key, cert, list(extra)


def _ca() -> _Authority:
    if settings.CONTRACTS_CA_P12:
        key, cert, _extra = _p12(settings.CONTRACTS_CA_P12, settings.CONTRACTS_CA_P12_PASSWORD)
        return _Authority(key, cert)
    return _dev("root")


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def root_certificate() -> asn1_x509.Certificate:
    """The trust anchor verification accepts."""
    return _asn1_cert(_ca().cert)


def root_certificate_pem() -> bytes:
    """The root certificate as PEM, for download from the verification page."""
    return _ca().cert.public_bytes(serialization.Encoding.PEM)


def platform_identity() -> SigningIdentity:
    """The platform's countersigning identity: PKCS#12 from settings when set, else the dev PKI."""
    if settings.CONTRACTS_PLATFORM_P12:
        key, cert, extra = _p12(settings.CONTRACTS_PLATFORM_P12, settings.CONTRACTS_PLATFORM_P12_PASSWORD)
        chain = extra or [_ca().cert]
        return SigningIdentity(_asn1_key(key), _asn1_cert(cert), tuple(_asn1_cert(c) for c in chain))
    platform = _dev("platform")
    return SigningIdentity(_asn1_key(platform.key), _asn1_cert(platform.cert), (root_certificate(),))


def tsa_identity() -> SigningIdentity:
    """The development RSA timestamping key and certificate (in-process or loopback TSA)."""
    tsa = _dev("tsa")
    return SigningIdentity(_asn1_key(tsa.key), _asn1_cert(tsa.cert), (_asn1_cert(_dev("root").cert),))


def issue_event_certificate(*, person: str, email: str, company: str, uscc: str) -> SigningIdentity:
    """A one-use identity for ``person`` of ``company``: fresh EC P-256 key, valid minutes.

    The caller signs once and drops the returned object; only the certificate (embedded in the
    signature) and its serial (in the evidence chain) outlive the signing.
    """
    ca = _ca()
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _issue(
        subject=_name(common=person, org=company, org_id=f"NTRCN-{uscc}"),
        public_key=key.public_key(),
        issuer=ca,
        issuer_key=ca.key,
        days=EVENT_MINUTES / (24 * 60) + CLOCK_SKEW.total_seconds() / 86400,
        email=email or None,
    )
    return SigningIdentity(_asn1_key(key), _asn1_cert(cert), (_asn1_cert(ca.cert),))


def certificate_serial_hex(identity: SigningIdentity | asn1_x509.Certificate) -> str:
    """Upper-case hex serial of the identity's (or a) certificate, as readers display it."""
    cert = identity.cert if isinstance(identity, SigningIdentity) else identity
    return format(cert.serial_number, "X")


def _revoked_file() -> Path:
    return _directory(None) / "revoked.txt"


def revoked_serials() -> dict[int, dt.datetime]:
    """Serials our CA has revoked, with the time (``revoked.txt`` in CONTRACTS_PKI_DIR)."""
    try:
        text = _revoked_file().read_text(encoding="ascii")
    except FileNotFoundError:
        return {}
    out = {}
    for line in text.splitlines():
        if line.strip():
            serial, when = line.split()
            out[int(serial, 16)] = dt.datetime.fromisoformat(when)
    return out


def revoke(serial_hex: str) -> None:
    """Revoke a certificate of our CA (a leaked platform key, an event certificate issued in
    error): later CRLs and OCSP responses say so, and :func:`check_not_revoked` refuses it.
    Signatures made before keep the "good" status they embedded at signing time (B-LT)."""
    serial = int(serial_hex, 16)
    if serial in revoked_serials():
        return
    _revoked_file().parent.mkdir(parents=True, exist_ok=True)
    with _revoked_file().open("a", encoding="ascii") as out:
        out.write(f"{serial:X} {_now().isoformat()}\n")


def check_not_revoked(identity: SigningIdentity) -> None:
    """Refuse to sign with a revoked certificate (the B-T fallback must not hide it)."""
    if identity.cert.serial_number in revoked_serials():
        raise PKIMissing(_("This signing certificate has been revoked."))


def revocation_info(certs: list[asn1_x509.Certificate]) -> tuple[list[bytes], list[bytes]]:
    """A fresh CRL and one OCSP response per certificate issued by our CA (DER).

    Issued now, valid a week: what B-LT embeds so a verifier needs no network. Certificates of
    other issuers (an external TSA) get nothing here.
    """
    ca = _ca()
    now = _now() - CLOCK_SKEW
    revoked = revoked_serials()
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=7))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.cert.public_key()), critical=False)
    )
    for serial, when in revoked.items():
        crl = crl.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    crl = crl.sign(ca.key, hashes.SHA256())
    ocsps = []
    ca_der = ca.cert.public_bytes(serialization.Encoding.DER)
    for asn1_cert in certs:
        cert = x509.load_der_x509_certificate(asn1_cert.dump())
        if cert.issuer != ca.cert.subject or cert.public_bytes(serialization.Encoding.DER) == ca_der:
            continue
        revoked_at = revoked.get(cert.serial_number)
        response = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=cert,
                issuer=ca.cert,
                algorithm=hashes.SHA1(),  # noqa: S303 - CertID hash; SHA-1 is what responders use
                cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
                this_update=now,
                next_update=now + dt.timedelta(days=7),
                revocation_time=revoked_at,
                revocation_reason=x509.ReasonFlags.unspecified if revoked_at else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, ca.cert)
            .sign(ca.key, hashes.SHA256())
        )
        ocsps.append(response.public_bytes(serialization.Encoding.DER))
    return [crl.public_bytes(serialization.Encoding.DER)], ocsps
