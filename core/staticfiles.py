"""The production static files storage: WhiteNoise's compressed, hashed files, except that a
``sourceMappingURL`` comment is left as it is. The vendored minified files (GraphiQL) name
source maps that are not shipped, and Django's hashing would refuse the whole
``collectstatic`` over a missing map; the files' contents stay byte for byte what was vendored
(their SRI hashes hold). ``url()`` and ``@import`` references are still hashed."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (glob, tuple(p for p in found if "sourceMappingURL" not in (p[0] if isinstance(p, tuple) else p)))
        for glob, found in patterns
    )


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
