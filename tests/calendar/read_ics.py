"""Reads .ics files with Python's icalendar, a parser spur does not use, and prints
each file's calendar name and events as JSON, for tests/service.rs."""
import json
import sys
from datetime import date, datetime

from icalendar import Calendar

out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        cal = Calendar.from_ical(f.read())
    events = []
    for e in cal.walk("VEVENT"):
        start = e.decoded("DTSTART")
        end = e.decoded("DTEND")
        events.append({
            "uid": str(e["UID"]),
            "summary": str(e["SUMMARY"]),
            "description": str(e.get("DESCRIPTION", "")),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "all_day": isinstance(start, date) and not isinstance(start, datetime),
            "stamp": e.decoded("DTSTAMP").isoformat(),
        })
    out.append({"name": str(cal.get("X-WR-CALNAME", "")), "events": events})
print(json.dumps(out, ensure_ascii=False))
