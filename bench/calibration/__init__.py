"""The calibration endpoint of bench/intake.py: the minimal Django 5.2 + django-ninja app that
inserts one row into SQLite (WAL, ``synchronous=NORMAL``), as issue #3 describes its calibration
(about 1,800 POSTs/s on the reference machine). Run on the same host in the same run as Urna's
endpoint, it tells how fast this host is, so figures from different hosts can be compared.

Not part of Urna: nothing imports it but the benchmark, which serves it with gunicorn like Urna.
"""
