"""Common given names and surnames in Latvia, for the privacy guard's person-name rule.

Not a register of people: the most frequent names (Latvian, and the Russian and other names common
in Latgale and Zemgale), written as in the population register, with the case forms a sentence puts
them in (``_forms``), also as typed without diacritics (Janis Berzins). The guard treats a given
name next to a capitalised word, a surname next to a given name, or an initial next to a surname as
a person's name (``privacy_guard.person_name``).
"""

from __future__ import annotations

import unicodedata
from functools import cache

GIVEN = """
Jānis Andris Juris Pēteris Aivars Māris Edgars Artūrs Arturs Kristaps Roberts Mārtiņš Aleksandrs Sergejs
Dmitrijs Andrejs Vladimirs Igors Ivars Valdis Uldis Raimonds Guntis Dainis Gints Normunds Aigars Ēriks
Eriks Oskars Rihards Markuss Gustavs Emīls Daniels Ralfs Niks Tomass Toms Kārlis Krišjānis Gatis Raivis
Kaspars Rolands Ojārs Viktors Nikolajs Mihails Aleksejs Jevgēņijs Jevgeņijs Maksims Artjoms Ivans Mārcis
Dāvis Renārs Rūdolfs Ansis Miķelis Ernests Gunārs Imants Viesturs Arvīds Egils Agris Armands Elvis
Rinalds Ainārs Aldis Alvis Andžejs Arnis Dzintars Edvīns Einārs Elmārs Ervīns Gundars Harijs Indulis
Intars Jurģis Kristiāns Leons Linards Mareks Matīss Mikus Modris Nauris Olafs Oļegs Pāvels Reinis Ričards
Sandis Sigurds Tālis Uģis Vilis Vitālijs Zigmārs Ģirts Ilmārs Jāzeps Kristers Lauris Roberts Emils
Anna Marija Kristīne Inese Ilze Līga Laura Dace Sandra Inga Ieva Linda Iveta Anita Elīna Evija Zane
Agnese Santa Sanita Daiga Vija Ina Gunta Baiba Antra Jolanta Lāsma Madara Katrīna Alise Sofija Emīlija
Amēlija Elizabete Paula Marta Estere Keita Viktorija Jeļena Olga Tatjana Natālija Svetlana Irina Ludmila
Valentīna Anastasija Darja Aleksandra Polina Diāna Anete Rūta Ance Beāte Dārta Ērika Gundega Ilona
Karīna Kitija Lelde Liene Maija Monta Nora Patrīcija Renāte Sabīne Signe Una Undīne Vineta Zanda Egija
Aija Aiga Aina Alla Anda Andra Anželika Astrīda Austra Biruta Daina Dagnija Diana Dita Edīte Elza Evita
Gita Guna Ināra Ingrīda Ingūna Irēna Jana Jūlija Kristiāna Lidija Ligita Lilita Lība Marina Mārīte
Miervaldis Nadežda Rita Rudīte Sarmīte Silvija Skaidrīte Solvita Tamāra Terēze Valda Vera Zinaida
"""

SURNAMES = """
Bērziņš Bērziņa Kalniņš Kalniņa Ozols Ozola Jansons Jansone Ozoliņš Ozoliņa Liepiņš Liepiņa Krūmiņš
Krūmiņa Balodis Balode Eglītis Eglīte Zariņš Zariņa Pētersons Pētersone Vītols Vītola Kļaviņš Kļaviņa
Kārkliņš Kārkliņa Vanags Vanaga Āboliņš Āboliņa Lapiņš Lapiņa Jurevičs Jureviča Ivanovs Ivanova Petrovs
Petrova Kuzņecovs Kuzņecova Sproģis Sproģe Zvaigzne Siliņš Siliņa Grīnbergs Grīnberga Freimanis Freimane
Dambītis Dambīte Auziņš Auziņa Rozenbergs Rozenberga Bite Lācis Lāce Priede Liepa Celmiņš Celmiņa
Kalējs Kalēja Strazdiņš Strazdiņa Briedis Briede Kauliņš Kauliņa Mednis Medne Vilks Vilka Zālītis
Zālīte Ābele Lūsis Lūse Kronbergs Kronberga Šmits Šmite Vasiļjevs Vasiļjeva Smirnovs Smirnova Popovs
Popova Sokolovs Sokolova Mihailovs Mihailova Fjodorovs Fjodorova Vītoliņš Vītoliņa Zeltiņš Zeltiņa
Jakovļevs Jakovļeva Pavlovs Pavlova Volkovs Volkova Kozlovs Kozlova Lebedevs Lebedeva Morozovs Morozova
Novikovs Novikova Orlovs Orlova Romanovs Romanova Andersons Andersone Bērzs Bērza Dzenis Dzene Ķēniņš
Ķēniņa Kļava Krastiņš Krastiņa Lazdiņš Lazdiņa Mucenieks Muceniece Ozoliņš Rudzītis Rudzīte Sīlis Sīle
Skujiņš Skujiņa Sniedze Sproģe Strods Stroda Timofejevs Timofejeva Upītis Upīte Vanaga Zaķis Zaķe
Zvirbulis Zvirbule Bogdanovs Bogdanova Cīrulis Cīrule Dukurs Dukure Grāvītis Grāvīte Kalns Kalna
Leimanis Leimane Mežs Meža Pujāts Pujāte Ritums Rituma Saulītis Saulīte Švarcs Švarca Vējš Vēja
"""


def _forms(word: str) -> set[str]:
    """A name with the case forms a sentence most often needs (nominative, genitive, dative,
    accusative), by the regular endings; irregular forms (Jāņa) are missed, not guessed."""
    forms = {word}
    for ending, replaced in (
        ("is", ("a", "im", "i")),
        ("š", ("ša", "šam", "šu")),
        ("s", ("a", "am", "u")),
        ("a", ("as", "ai", "u")),
        ("e", ("es", "ei", "i")),
    ):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            forms |= {stem + r for r in replaced}
            break
    return forms


def _plain(word: str) -> str:
    """The name as typed without diacritics: Jānis -> Janis."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def _all_forms(words: str) -> frozenset[str]:
    forms = {f.casefold() for word in words.split() for f in _forms(word)}
    return frozenset(forms | {_plain(f) for f in forms})


@cache
def given_names() -> frozenset[str]:
    return _all_forms(GIVEN)


@cache
def surnames() -> frozenset[str]:
    return _all_forms(SURNAMES)
