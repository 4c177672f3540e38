"""Signed, archival certificate PDFs: PAdES signing (`signing`), the isolated reading
of a PDF someone sends (`analysis`), what /verifier/ says of it (`verification`), and
the signing of certificates issued before signatures existed (`archival`)."""
