"""/verifier/ for files: a certificate's PDF or its Open Badge, sent by anyone, read in
memory (`uploads`) and answered with a verdict (`views`). The code check is in
certificates/views.py."""
