"""The development PKI, event certificates, PKCS#12 loading and the management command."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command

from plugins.contracts.pdf import pki


def _crypto(cert) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def test_event_certificate_is_one_use_ec_p256_with_the_company(dev_pki):
    identity = pki.issue_event_certificate(
        person="张三", email="zhangsan@example.com", company="华为技术有限公司", uscc="914403001922038216"
    )
    cert = _crypto(identity.cert)
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "张三"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "华为技术有限公司"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value == "NTRCN-914403001922038216"
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert cert.public_key().curve.name == "secp256r1"
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(minutes=5) < lifetime <= dt.timedelta(minutes=15)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["zhangsan@example.com"]
    root = x509.load_pem_x509_certificate(pki.root_certificate_pem())
    cert.verify_directly_issued_by(root)
    assert identity.chain[0].dump() == root.public_bytes(serialization.Encoding.DER)
    # a fresh key and serial every time
    other = pki.issue_event_certificate(person="张三", email="", company="华为技术有限公司", uscc="914403001922038216")
    assert pki.certificate_serial_hex(other) != pki.certificate_serial_hex(identity)
    assert other.key.dump() != identity.key.dump()
    assert pki.certificate_serial_hex(identity) == format(cert.serial_number, "X")


def test_long_company_names_are_cut_to_the_x520_limit(dev_pki):
    name = "中国" * 20 + "有限公司"
    cert = _crypto(pki.issue_event_certificate(person="李四", email="", company=name, uscc="91110000802100433B").cert)
    org = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert name.startswith(org) and len(org.encode()) <= 64


def test_dev_pki_is_idempotent_and_has_an_rsa_tsa(tmp_path):
    pki.ensure_dev_pki(tmp_path)
    root = (tmp_path / "root.pem").read_bytes()
    pki.ensure_dev_pki(tmp_path)
    assert (tmp_path / "root.pem").read_bytes() == root
    tsa = x509.load_pem_x509_certificate((tmp_path / "tsa.pem").read_bytes())
    assert tsa.public_key().key_size == 2048
    eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]
    assert oct((tmp_path / "root.key.pem").stat().st_mode & 0o777) == "0o600"


def test_dev_pki_is_refused_in_production_without_a_directory(settings, tmp_path):
    settings.DEBUG = False
    settings.CONTRACTS_PKI_DIR = str(tmp_path / "pki")
    with pytest.raises(pki.PKIMissing):
        pki.ensure_dev_pki()
    settings.CONTRACTS_CA_P12 = settings.CONTRACTS_PLATFORM_P12 = ""
    with pytest.raises(pki.PKIMissing, match="contracts_dev_pki"):
        pki.platform_identity()
    assert not (tmp_path / "pki").exists()


def test_management_command(tmp_path, capsys):
    call_command("contracts_dev_pki", "--dir", str(tmp_path / "pki"))
    assert {p.name for p in (tmp_path / "pki").iterdir()} >= {"root.pem", "platform.pem", "tsa.pem", "root.key.pem"}


def test_platform_identity_from_pkcs12(dev_pki, settings, tmp_path):
    key = serialization.load_pem_private_key((dev_pki / "platform.key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((dev_pki / "platform.pem").read_bytes())
    root = x509.load_pem_x509_certificate((dev_pki / "root.pem").read_bytes())
    root_key = serialization.load_pem_private_key((dev_pki / "root.key.pem").read_bytes(), None)
    encryption = serialization.BestAvailableEncryption(b"secret")
    (tmp_path / "platform.p12").write_bytes(pkcs12.serialize_key_and_certificates(b"p", key, cert, [root], encryption))
    (tmp_path / "ca.p12").write_bytes(pkcs12.serialize_key_and_certificates(b"ca", root_key, root, None, encryption))
    settings.CONTRACTS_PKI_DIR = str(tmp_path / "nothing-here")
    settings.CONTRACTS_PLATFORM_P12, settings.CONTRACTS_PLATFORM_P12_PASSWORD = str(tmp_path / "platform.p12"), "secret"
    settings.CONTRACTS_CA_P12, settings.CONTRACTS_CA_P12_PASSWORD = str(tmp_path / "ca.p12"), "secret"
    identity = pki.platform_identity()
    assert identity.cert.dump() == cert.public_bytes(serialization.Encoding.DER)
    assert [c.dump() for c in identity.chain] == [root.public_bytes(serialization.Encoding.DER)]
    assert pki.root_certificate_pem() == root.public_bytes(serialization.Encoding.PEM)
    event = pki.issue_event_certificate(
        person="王五", email="", company="小米科技有限责任公司", uscc="91110108551385082Q"
    )
    _crypto(event.cert).verify_directly_issued_by(root)


def test_revocation_info_is_issued_by_the_ca(dev_pki):
    from cryptography.x509 import ocsp

    identity = pki.platform_identity()
    crls, ocsps = pki.revocation_info([identity.cert, *identity.chain])
    root = x509.load_pem_x509_certificate(pki.root_certificate_pem())
    crl = x509.load_der_x509_crl(crls[0])
    assert crl.is_signature_valid(root.public_key()) and len(crl) == 0
    assert len(ocsps) == 1  # the platform certificate; the root itself needs none
    response = ocsp.load_der_ocsp_response(ocsps[0])
    assert response.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert response.serial_number == identity.cert.serial_number
