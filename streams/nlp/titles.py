"""Titles and roles: the words that stand before or beside a person's name, and what they say
about the name that owns them ("Acme chairman Lee": Acme is an organisation; "Manitoba Premier
Lee": Manitoba is a place). General English, lower case.
"""

# Titles and roles written before a person's name ("Mr. Lee", "striker Lee", "chief executive Lee").
PERSON_TITLES = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. sir dame prof prof. professor lord lady baroness
president premier governor gov. senator sen. rep. representative congressman congresswoman
minister chancellor mayor judge justice king queen prince princess pope cardinal bishop
archbishop rabbi imam sheikh ayatollah rev. reverend father sister brother general gen. colonel col.
major maj. captain capt. lieutenant lt. sergeant sgt. admiral commander marshal
coach manager striker midfielder defender goalkeeper keeper forward winger captain batsman bowler
pitcher quarterback outfielder shortstop jockey trainer referee umpire
chairman chairwoman chairperson executive director spokesman spokeswoman spokesperson secretary
ambassador envoy leader head analyst economist strategist trader dealer broker lawyer attorney
prosecutor official adviser advisor aide founder owner editor reporter correspondent author writer
actor actress singer artist player champion rider driver cyclist runner sprinter swimmer boxer
golfer veteran deputy candidate nominee dissident activist commissioner inspector detective
""".split())
# Roles whose owner governs a place ("British Columbia Premier Chen", "the president of France").
GOVERNING_ROLES = frozenset("""
president premier governor senator minister chancellor mayor king queen prince ambassador envoy
prime foreign interior defence defense finance
""".split())
# Roles whose owner is an organisation ("Acme chairman Lee", "a spokeswoman for Acme").
ORGANISATION_ROLES = frozenset("""
chairman chairwoman chairperson executive director spokesman spokeswoman spokesperson manager
coach striker midfielder defender goalkeeper captain player chief owner shareholders shares stock
""".split())
