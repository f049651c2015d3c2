"""GMI's own ``/v1/messages`` and ``/v1/responses``, reached untranslated: the routing and the
one ``CustomLogger`` that applies it."""
