"""Reading the signatures of an untrusted PDF, in a child process with hard limits.

A PDF dropped on /verifier/ may be hostile: a stream that inflates to gigabytes (a
zip bomb in an object or cross-reference stream), a file crafted to make a parser
loop. Two fences, independent of each other:

1. **pyHanko's own decode limits** (0.38+), tightened here: no stream decodes to
   more than `STREAM_MAX_BYTES`, the whole file to more than `DOCUMENT_MAX_BYTES`
   (a certificate is ~40 KB; nothing of ours comes close).
2. **A forked child** (multiprocessing, « forkserver » context: forked from a small
   single-threaded server, so a gunicorn worker's threads never fork in the middle
   of a lock) with an address-space limit (`RLIMIT_AS`) and a CPU limit, and a
   wall-clock timeout after which the parent kills it. Whatever slips through the
   first fence costs at most `MEMORY_MARGIN` of memory and `TIMEOUT` seconds, and
   the web process never holds the inflated bytes.

Only plain data comes back: for each signature, the signer certificate's SHA-256
fingerprint, whether the signed digest matches (intact) and the signature verifies
with that certificate's key (valid), the coverage, and the end of the signed bytes.
Trust — is that certificate one of ours? — is decided by the caller
(certificates/signed_pdfs/verification.py), which holds the database.

This module imports no Django: the forkserver child imports it alone.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import resource

logger = logging.getLogger("reperes.certificates")

MIB = 1024 * 1024
STREAM_MAX_BYTES = 16 * MIB
DOCUMENT_MAX_BYTES = 64 * MIB
#: Address space the child may add to what it had when forked.
MEMORY_MARGIN = 384 * MIB
#: Wall-clock seconds the parent waits for the child (CPU seconds: the same).
TIMEOUT = 10


class AnalysisError(Exception):
    """`code`: unreadable (not a PDF we can parse), too_complex (limits reached)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _decode_limits():
    from pyhanko.pdf_utils.decode_limits import (
        DecodeLimits,
        DocumentDecodeBudget,
        StreamDecodeLimits,
    )

    return DecodeLimits(
        per_stream=StreamDecodeLimits(max_output_size=STREAM_MAX_BYTES),
        document_budget=DocumentDecodeBudget(base_allowance=DOCUMENT_MAX_BYTES, max_ratio=10),
    )


def _signature_facts(data: bytes, signature) -> dict:
    """What one embedded signature says, as plain data; never raises on bad input."""
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    facts = {"fingerprint": "", "intact": False, "valid": False, "coverage": "", "signed_end": 0}
    try:
        certificate = signature.signer_cert
        facts["fingerprint"] = hashlib.sha256(certificate.dump()).hexdigest()
        signature.compute_integrity_info(skip_diff=True)
        facts["coverage"] = signature.coverage.name
        byte_range = list(signature.byte_range)
        facts["signed_end"] = int(byte_range[2]) + int(byte_range[3])
        facts["intact"], facts["valid"] = validate_sig_integrity(
            signature.signer_info, certificate, "data", signature.compute_digest()
        )
    except Exception:  # a hostile CMS can fail anywhere: not intact
        logger.debug("pdf signature unreadable", exc_info=True)
    return facts


def analyse(data: bytes) -> list[dict]:
    """The facts of every signature of `data` (in this process: see `analyse_isolated`).

    The difference analysis of later revisions is skipped (`skip_diff`): it decodes
    and compares every object, and the verdict does not need it — any byte after
    the signature makes the file « modifié ».
    """
    from pyhanko.pdf_utils import misc
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False, decode_limits=_decode_limits())
        signatures = list(reader.embedded_signatures)
    except misc.PdfDecodeLimitError as error:
        raise AnalysisError("too_complex") from error
    except MemoryError as error:
        raise AnalysisError("too_complex") from error
    except Exception as error:  # any parser error means unreadable
        raise AnalysisError("unreadable") from error
    return [_signature_facts(data, signature) for signature in signatures]


def _limit_child():
    """Cap the child's address space (Linux: /proc gives its size now) and CPU time."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + MEMORY_MARGIN
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        # Not Linux (a developer's machine): pyHanko's decode limits and the timeout
        # still hold.
        logger.warning("pdf analysis without an address space limit")
    resource.setrlimit(resource.RLIMIT_CPU, (TIMEOUT, TIMEOUT + 1))


def _child(connection, data: bytes) -> None:
    """The child's whole life: limits, analysis, one message back."""
    try:
        _limit_child()
        connection.send(("ok", analyse(data)))
    except AnalysisError as error:
        connection.send(("error", error.code))
    except MemoryError:
        connection.send(("error", "too_complex"))
    except Exception:  # whatever else broke, the answer is: not readable
        connection.send(("error", "unreadable"))
    finally:
        connection.close()


_context = None


def _forkserver():
    global _context  # one context per process, made on first use
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        # The server imports pyHanko once; each analysis forks from it in milliseconds.
        _context.set_forkserver_preload(["certificates.signed_pdfs.analysis", "pyhanko.sign"])
    return _context


def analyse_isolated(data: bytes, *, timeout: float = TIMEOUT) -> list[dict]:
    """`analyse(data)` in a forked child with memory, CPU and time limits.

    Raises AnalysisError (`too_complex` when a limit stopped it, `unreadable`).
    """
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, data), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise AnalysisError("too_complex")
        status, payload = receiver.recv()
    except EOFError as error:  # killed by a limit before it could answer
        raise AnalysisError("too_complex") from error
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "error":
        raise AnalysisError(payload)
    return payload
