"""The free-text scrubber: each kind of personal data, and the ordinary text that must survive."""

from __future__ import annotations

import pytest

from audit_app.core.redaction import KnownName as OldKnownName
from audit_app.core.redaction import pseudonym as old_pseudonym
from audit_app.core.scrubbing import KnownName, Replacement, Scrubber, pseudonym
from audit_app.io.word_lists import english_words, known_words, name_words, policing_terms

WORDS = known_words()
NAMES = [
    KnownName("Jane Smith", "victim"),
    KnownName("John Xavier Bloggs", "suspect"),
    KnownName("PC 1234 Will Lee", "officer"),
    KnownName("Priya Okonkwo-Adeyemi", "victim"),
    KnownName("07700 900456", "personal"),
    KnownName("Female", "personal"),
    KnownName("Not known", "personal"),
    KnownName("Unknown", "suspect"),
]
REFERENCES = {"DA/0001/26": "CASE-AAAA1111", "CRI 2026 0042": "[reference]"}


@pytest.fixture(scope="module")
def scrub() -> Scrubber:
    return Scrubber(NAMES, REFERENCES, known_words=WORDS)


@pytest.mark.parametrize(("text", "expected"), [
    # Names the audit holds: whole, any case and spacing, reordered, possessive, parts alone.
    ("Jane Smith attended", "[victim] attended"),
    ("JANE   smith attended", "[victim] attended"),
    ("jane\nsmith attended", "[victim] attended"),
    ("Smith, Jane attended", "[victim] attended"),
    ("SMITH Jane attended", "[victim] attended"),
    ("Smith's statement", "[victim]'s statement"),
    ("Jane's phone", "[victim]'s phone"),
    ("spoke to jane", "spoke to [victim]"),
    ("spoke to Smith", "spoke to [victim]"),
    ("spoke to SMITH", "spoke to [victim]"),
    ("a smith made the gate", "a smith made the gate"),
    ("J. Smith was seen", "[victim] was seen"),
    ("John Bloggs and Bloggs, John", "[suspect] and [suspect]"),
    ("john xavier bloggs denied it", "[suspect] denied it"),
    ("bloggs denied it", "[suspect] denied it"),
    ("Xavier was there", "[suspect] was there"),
    ("Lee took the statement", "[officer] took the statement"),
    ("the lee side of the wall", "the lee side of the wall"),
    ("PC 1234 Will Lee attended", "[officer] attended"),
    ("Okonkwo-Adeyemi said", "[victim] said"),
    ("Priya Okonkwo-Adeyemi said", "[victim] said"),
    ("okonkwo said", "[victim] said"),
    ("Smithson and Janet", "Smithson and Janet"),
    # Personal values held whole; ordinary words from personal columns alone are left.
    ("call 07700 900456", "call [phone]"),
    ("Female victim", "Female victim"),
    # Titles and ranks.
    ("DC Jones attended", "[officer] attended"),
    ("PC 5678 Khan attended", "[officer] attended"),
    ("PC5678 attended", "[officer] attended"),
    ("DS A. Bloom reviewed it", "[officer] reviewed it"),
    ("Det Con Harris wrote", "[officer] wrote"),
    ("Detective Sergeant Morgan agreed", "[officer] agreed"),
    ("T/DS Wright agreed", "[officer] agreed"),
    ("Sgt Patel agreed", "[officer] agreed"),
    ("Mr J. Bloggs", "[suspect]"),
    ("Mr K. Doe left", "[person] left"),
    ("Mrs Doe left", "[person] left"),
    ("Ms Mary Doe left", "[person] left"),
    ("Dr Foster saw her", "[person] saw her"),
    ("Mx Rowe left", "[person] left"),
    ("spoke to mrs doe", "spoke to [person]"),
    ("Mrs Jane Smith left", "[victim] left"),
    ("PC Kerr BWV reviewed", "[officer] BWV reviewed"),
    ("The defendant, Mr O'Neill-Brown, and DS McKenzie", "The defendant, [person], and [officer]"),
    ("Spoke to Ms. Zoë Łukasz at the café", "Spoke to [person] at the café"),
    ("DC Jones and PC Kerr attended; DC Jones's notes.",
     "[officer] and [officer] attended; [officer]'s notes."),
    ("MRS ANNE DOE ATTENDED", "[person] ATTENDED"),
    ("MRS ANNE BROWN WAS SEEN", "[person] WAS SEEN"),
    ("Mr J.P. Doe", "[person]"),
    ("the Inspector agreed", "the Inspector agreed"),
    ("Mr and Mrs Doe", "Mr and [person]"),
    # Everything at once, in capitals.
    ("SPOKE TO MRS DOE AT 12 ACACIA AVENUE LS1 4AB TEL 07700900123",
     "SPOKE TO [person] AT [address] TEL [phone]"),
    ("ref:DA/0001/26, ref=da/0001/26|x", "ref:CASE-AAAA1111, ref=CASE-AAAA1111|x"),
    # Phones.
    ("ring 07700 900123 now", "ring [phone] now"),
    ("ring 07700900123.", "ring [phone]."),
    ("ring 07700-900-123", "ring [phone]"),
    ("ring 07 700 900 123", "ring [phone]"),
    ("ring +44 7700 900123", "ring [phone]"),
    ("ring +447700900123", "ring [phone]"),
    ("ring 0113 496 0000", "ring [phone]"),
    ("ring (0113) 4960000", "ring [phone]"),
    ("ring 020 7946 0018", "ring [phone]"),
    ("ring +44 (0)20 7946 0018", "ring [phone]"),
    ("ring 01632 960123", "ring [phone]"),
    ("ring 0800 123 4567", "ring [phone]"),
    ("ring 07700.900.123 now", "ring [phone] now"),
    ("ring 0044 7700 900123 now", "ring [phone] now"),
    ("ring +33 6 12 34 56 78", "ring [phone]"),
    ("tel:07700900123", "tel:[phone]"),
    ("ring 7700 900123", "ring [phone]"),
    # Emails.
    ("email jane.doe+x@example.co.uk today", "email [email] today"),
    ("email J_DOE@Police.Example.org.", "email [email]."),
    # Postcodes.
    ("at LS1 4AB today", "at [postcode] today"),
    ("at ls14ab today", "at [postcode] today"),
    ("at SW1A 1AA", "at [postcode]"),
    ("at m1 1ae", "at [postcode]"),
    ("at B33 8TH.", "at [postcode]."),
    # Street addresses.
    ("lives at 12 Acacia Avenue", "lives at [address]"),
    ("lives at 12 Acacia Avenue, Leeds LS1 4AB", "lives at [address]"),
    ("lives at 12 Acacia Avenue, Wetherby.", "lives at [address]."),
    ("lives at 12 Acacia Avenue, then left", "lives at [address], then left"),
    ("lives at 12 Acacia Avenue, Leeds", "lives at [address]"),
    ("lives at 12 Acacia Avenue, The door was open", "lives at [address], The door was open"),
    ("lives at 5 Rose Court", "lives at [address]"),
    ("lives at Flat 3, 14 High Street", "lives at [address]"),
    ("lives at 4a Mill Lane", "lives at [address]"),
    ("lives at 22 Baker St.", "lives at [address]"),
    ("lives at 7 ST JOHN'S ROAD", "lives at [address]"),
    ("LIVES AT 7 ST JOHN'S ROAD, WETHERBY, LS22 6AB", "LIVES AT [address]"),
    ("LIVES AT 7 ACACIA AVENUE, THE DOOR WAS OPEN", "LIVES AT [address], THE DOOR WAS OPEN"),
    ("lives at 1-3 Church Close", "lives at [address]"),
    ("lives on Acacia Avenue", "lives on [address]"),
    ("went to Flat 9 again", "went to [address] again"),
    ("lives at 12 acacia avenue now", "lives at [address] now"),
    ("lives at 4b mill lane", "lives at [address]"),
    ("a 2 minute drive; 3 police cars in the street; 2 cars on the road", None),
    # Dates of birth, and ordinary dates that stay.
    ("DOB 01/02/1980", "DOB [date of birth]"),
    ("DOB: 1.2.80 seen", "DOB: [date of birth] seen"),
    ("D.O.B. 3 March 1985", "D.O.B. [date of birth]"),
    ("(dob 1985-03-03)", "(dob [date of birth])"),
    ("date of birth 3rd of March 1985", "date of birth [date of birth]"),
    ("born on 3 March 1985", "born on [date of birth]"),
    ("born in Leeds on March 3, 1985", "born in Leeds on [date of birth]"),
    ("born 1985", "born [date of birth]"),
    ("01/02/1980 (DOB)", "[date of birth] (DOB)"),
    ("aged 34, seen on 3 March 2026", "aged 34, seen on 3 March 2026"),
    ("crime on 03/03/2026 recorded 04/03/2026", "crime on 03/03/2026 recorded 04/03/2026"),
    # References and identity numbers.
    ("see DA/0001/26 and da/0001/26.", "see CASE-AAAA1111 and CASE-AAAA1111."),
    ("see DA/0001/266 and XDA/0001/26", "see DA/0001/266 and XDA/0001/26"),
    ("(DA/0001/26)", "(CASE-AAAA1111)"),
    ("ref cri  2026 0042", "ref [reference]"),
    ("NI number AB 12 34 56 C", "NI number [identity number]"),
    ("NI number ab123456c", "NI number [identity number]"),
    ("NI number QQ 12 34 56 C", "NI number [identity number]"),
    ("PNC 98/123456A on file", "PNC [identity number] on file"),
    ("licence MORGA753116SM9IJ", "licence [identity number]"),
    ("car AB12 CDE seen", "car [vehicle] seen"),
    ("car AB12CDE seen", "car [vehicle] seen"),
    ("the MG11 CPS file", "the MG11 CPS file"),
    ("posted by @jane_s99 on", "posted by [person] on"),
    ("Jane M. Smith", "[victim]"),
    ("Not known", "Not known"),
])
def test_each_kind_of_personal_data_is_replaced(scrub: Scrubber, text: str, expected: str | None) -> None:
    assert scrub(text) == (text if expected is None else expected)


ORDINARY = [
    "DASH graded high; MARAC referral made; IDVA engaged; BWV reviewed; DVPN and DVPO considered.",
    "CPS advice sought. NFA with outcome 16 on 3 March 2026; outcome 15 considered.",
    "The OIC did not record why the victim withdrew. Supervisor endorsed the NFA decision.",
    "Evidence-led prosecution was not considered despite 999 call and injury photographs.",
    "On Monday the Crown Court heard the case; the Magistrates' Court granted a restraining order.",
    "Victims' Code letter sent within 5 days; VRR explained. Clare's Law disclosure (DVDS) made.",
    "Coercive and controlling behaviour, stalking and strangulation were considered under the Act.",
    "Met: 12 of 14 criteria. Partly met: 2. Score 85%. Aged 34. 3 children seen.",
    "Interviewed under caution at 14:30. Arrested within 2 hours. Bail conditions set.",
    "Learning: share good practice with the Public Protection Unit and the PCSO team.",
    "High risk, referred to MARAC in January; reviewed again in March 2026.",
    "Assault occasioning actual bodily harm (s.47 OAPA 1861); threats to kill (s.16 OAPA).",
    "Controlling or coercive behaviour in an intimate or family relationship (s.76 SCA 2015).",
    "Breach of a non-molestation order (FLA 1996 s.42A); criminal damage under £5,000.",
    "Outcome 15: suspect identified, victim supports, evidential difficulties.",
    "Appropriate with observations. Inappropriate. Panel unable to agree. More information needed.",
    "There were 3 Crown Court hearings and 2 Magistrates' Court dates before trial.",
    "Unknown male seen; identity not known. Email to the team at 10am.",
    "",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_case_notes_survive_unchanged(scrub: Scrubber, text: str) -> None:
    result = scrub.scrub(text)
    assert result.text == text
    assert result.replacements == ()
    assert result.suspects == ()


def test_replacements_say_what_was_found_and_why(scrub: Scrubber) -> None:
    result = scrub.scrub("Jane Smith rang 07700 900123 about DA/0001/26.")
    assert result.text == "[victim] rang [phone] about CASE-AAAA1111."
    assert result.replacements == (
        Replacement("Jane Smith", "[victim]", "victim's name held by the audit"),
        Replacement("07700 900123", "[phone]", "phone number"),
        Replacement("DA/0001/26", "CASE-AAAA1111", "crime reference"),
    )


@pytest.mark.parametrize(("text", "suspects"), [
    ("Xanthe Qorvath was present.", ("Xanthe", "Qorvath")),
    ("The victim's sister Priyanka said so.", ("Priyanka",)),
    ("QORVATH was arrested.", ("QORVATH",)),
    ("Spoke to O'Malley and McTavish's brother.", ("O'Malley", "McTavish's")),
    ("Rose said no.", ()),  # an ordinary word that opens a sentence is not reported
    # Mid-sentence they may be names; the first word of a capitalised phrase stands for it.
    ("I spoke to Rose and Mark Brown.", ("Rose", "Mark")),
    ("Learning: Will the team share it?\n- Grace attended", ()),
    ("Saw Rose at the Town Hall; she is White British.", ("Rose",)),
    ("The Case Review noted Good practice by the Public Protection Unit.", ()),
    ("see AB/123 and CASE-ABCD2345", ()),  # codes and pseudonyms are not names
    ("[victim] and [officer] met.", ()),
])
def test_capitalised_words_that_are_not_english_are_suspect(text: str, suspects: tuple[str, ...]) -> None:
    assert Scrubber([], known_words=WORDS).scrub(text).suspects == suspects


def test_without_a_word_list_nothing_is_suspect_and_parts_match_only_capitalised() -> None:
    scrub = Scrubber([KnownName("Will Rose", "suspect")])
    result = scrub.scrub("Rose was seen; we will see the roses. Xanthe Qorvath too.")
    assert result.text == "[suspect] was seen; we will see the roses. Xanthe Qorvath too."
    assert result.suspects == ()


def test_a_date_held_in_a_personal_column_goes_however_it_is_written() -> None:
    scrub = Scrubber([KnownName("1990-05-01", "personal"), KnownName("03/11/88", "personal")],
                     known_words=WORDS)
    text = ("seen 1/5/90, 01/05/1990, 1st May 1990, May 1, 1990, 1990-05-01, 01.05.90, "
            "3 Nov 1988 and 3rd of November 1988; not 2/5/90 or 1 May 2026")
    result = scrub.scrub(text)
    assert result.text == ("seen [date of birth], [date of birth], [date of birth], [date of birth], "
                           "[date of birth], [date of birth], [date of birth] and [date of birth]; "
                           "not 2/5/90 or 1 May 2026")
    assert {r.reason for r in result.replacements} == {"date held by the audit in a personal column"}


def test_each_line_of_an_address_held_in_a_personal_column_goes_on_its_own() -> None:
    scrub = Scrubber([KnownName("Flat 3, 14 Mill Walk, Otley Heights", "personal")], known_words=WORDS)
    assert scrub("went to flat 3 then 14 mill walk in otley heights; the mill is closed") == (
        "went to [person] then [person] in [person]; the mill is closed")


def test_a_name_part_two_people_share_names_neither() -> None:
    scrub = Scrubber([KnownName("Jane Doe", "victim"), KnownName("John Doe", "suspect")], known_words=WORDS)
    result = scrub.scrub("Jane Doe said John Doe hit her; Doe denied it")
    assert result.text == "[victim] said [suspect] hit her; [person] denied it"
    assert result.replacements[-1].reason == "name held by the audit for more than one person"


def test_two_letter_names_go_only_where_written_as_names() -> None:
    scrub = Scrubber([KnownName("Al Wu", "victim"), KnownName("DC Amy Li", "officer")], known_words=WORDS)
    assert scrub("Al went home with Wu; later al wu rang") == (
        "[victim] went home with [victim]; later [victim] rang")
    assert scrub("Li's statement; LI and li are not names") == (
        "[officer]'s statement; LI and li are not names")
    assert scrub("Ms Li") == "[officer]"
    # Without a word list nobody can tell "Wu" from a word: only whole names go.
    assert Scrubber([KnownName("Al Wu", "victim")])("Wu and Al Wu") == "Wu and [victim]"


def test_a_scrubbed_text_scrubs_to_itself(scrub: Scrubber) -> None:
    once = scrub("Mrs Jane Smith of 12 Acacia Avenue, LS1 4AB, DOB 01/02/1980, tel 07700 900123")
    assert once == "[victim] of [address], DOB [date of birth], tel [phone]"
    assert scrub(once) == once


def test_old_import_paths_still_work() -> None:
    assert OldKnownName is KnownName
    assert old_pseudonym("DA/0001", "k") == pseudonym("DA/0001", "k")


def test_word_lists_are_lower_case_and_hold_no_names() -> None:
    english = english_words()
    assert len(english) > 50_000
    assert all(word == word.lower() for word in english)
    assert {"victim", "arrested", "smith", "rose"} <= english
    assert not {"jane", "priya", "xanthe", "london"} & english
    assert {"dash", "marac", "idva", "bwv", "dvpn", "cps", "nfa", "monday", "march"} <= policing_terms()
    names = name_words()
    assert {"Rose", "Mark", "Brown", "Grace"} <= names
    assert all(word[0].isupper() and word.lower() in english for word in names)
    assert not {"March", "May", "Case", "Crown"} & names
    assert not {word.lower() for word in names} & policing_terms()
