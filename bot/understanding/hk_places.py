"""Hong Kong's own place words: the 4 regions and the 18 districts, in English and Chinese, with the common
names staff type (港島, HK Island, KLN, 新界, 離島 …). This is general Hong Kong geography, the same for every
company; the areas, locations and their aliases come from the loaded data (gazetteer.py)."""

from __future__ import annotations

#: Hong Kong's regions (data-format.md's codes) and the everyday words for them.
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "HKI": ("HKI", "港島", "香港島", "港島區", "香港島區", "hong kong island", "hk island", "h.k. island",
            "the island side", "island side", "hk side"),
    "KLN": ("KLN", "九龍", "九龍區", "九龍半島", "kowloon", "kowloon side", "kowloon peninsula"),
    "NT": ("NT", "新界", "新界區", "new territories", "the new territories", "n.t."),
    "ISL": ("ISL", "離島", "離島區", "outlying islands", "the outlying islands", "the islands", "islands", "大嶼山",
            "lantau", "lantau island"),
}

#: The 18 districts as the government spells them in English (areas.csv `district`), with their Chinese
#: names and the region each lies in.
DISTRICTS: dict[str, tuple[str, str]] = {
    "Central and Western": ("中西區", "HKI"),
    "Wan Chai": ("灣仔區", "HKI"),
    "Eastern": ("東區", "HKI"),
    "Southern": ("南區", "HKI"),
    "Yau Tsim Mong": ("油尖旺區", "KLN"),
    "Sham Shui Po": ("深水埗區", "KLN"),
    "Kowloon City": ("九龍城區", "KLN"),
    "Wong Tai Sin": ("黃大仙區", "KLN"),
    "Kwun Tong": ("觀塘區", "KLN"),
    "Kwai Tsing": ("葵青區", "NT"),
    "Tsuen Wan": ("荃灣區", "NT"),
    "Tuen Mun": ("屯門區", "NT"),
    "Yuen Long": ("元朗區", "NT"),
    "North": ("北區", "NT"),
    "Tai Po": ("大埔區", "NT"),
    "Sha Tin": ("沙田區", "NT"),
    "Sai Kung": ("西貢區", "NT"),
    "Islands": ("離島區", "ISL"),
}


def district_names(district: str) -> list[str]:
    """Every way to write one district: the English name, "<name> District", the Chinese name with 區 and,
    when two or more characters remain, without it (西貢, 油尖旺). Unknown districts: the name as given."""
    names = [district, f"{district} district"]
    known = DISTRICTS.get(district)
    if known is None:
        return names
    chinese = known[0]
    names.append(chinese)
    if len(chinese) >= 3:
        names.append(chinese[:-1])
    return names
