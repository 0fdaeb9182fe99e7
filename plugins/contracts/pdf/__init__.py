"""The contracts engine: pure functions, no models, no views.

- ``fonts``: the SC face of Noto Sans CJK extracted once into CONTRACTS_FONT_CACHE (FontMissing
  says what to install);
- ``render``: contract HTML → A4 PDF (WeasyPrint) and the signature fields' boxes;
- ``pki``: dev CA / PKCS#12, one-use event certificates, our own CRL and OCSP, revocation;
- ``signing``: both fields prepared up front, PAdES B-B/B-T/B-LT, B-LTA, stamps, 骑缝章, the
  evidence chain's seal, a generated seal image;
- ``verify``: every signature judged on pyHanko's bottom_line, never raising.

pyHanko's synchronous API runs ``asyncio.run``: call all of this from synchronous code or tasks.
"""
