"""Open Badges 3.0 credentials of certificates (VC data model 2.0, signed as VC-JWT)."""
