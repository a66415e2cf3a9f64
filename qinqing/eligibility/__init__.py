"""Shared eligibility engine (moved from qinqing.policies): used by policies and financing products.

- ``rules``: the pure rule engine (vocabulary, validation, explanation, vectorised evaluation; no ORM).
- ``attributes``: reads the enterprise attributes the rules use from the registry, in bulk, into Polars.
- ``idsets``: compact storage of sets of enterprise ids.
- ``matching``: the owner-scoped vectorised evaluation of many rules over one frame.

Not an app: it has no models. Storage of results stays with each domain (PolicyMatch, …).
"""
