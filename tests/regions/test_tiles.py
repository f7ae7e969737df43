"""The tile grid and the land borders of the 27 regions."""
from shelter_monitor.regions.data import region_records
from shelter_monitor.regions.tiles import NEIGHBOURS, TILES, TileLabel, grid_size, tile_labels

CODES = {record.iso_code for record in region_records()}


def test_every_region_has_exactly_one_tile():
    assert len(CODES) == 27
    assert set(TILES) == CODES


def test_no_two_regions_share_a_tile():
    assert len(set(TILES.values())) == len(TILES)


def test_tiles_lie_within_the_grid():
    rows, columns = grid_size()
    assert all(0 <= row < rows and 0 <= column < columns for row, column in TILES.values())
    assert {row for row, _ in TILES.values()} == set(range(rows))
    assert {column for _, column in TILES.values()} == set(range(columns))


def test_the_map_reads_west_to_east_and_north_to_south():
    volyn, rivne, zakarpattia = TILES["UA-07"], TILES["UA-56"], TILES["UA-21"]
    luhansk, crimea, sevastopol = TILES["UA-09"], TILES["UA-43"], TILES["UA-40"]
    kyiv_city, kyiv_oblast = TILES["UA-30"], TILES["UA-32"]
    rows, columns = grid_size()
    assert volyn[0] == rivne[0] == 0 and volyn[1] < rivne[1] <= 2
    assert zakarpattia[1] == 0 and zakarpattia[0] > volyn[0]
    assert luhansk[1] == columns - 1
    assert crimea[0] == sevastopol[0] == rows - 1
    assert abs(kyiv_city[0] - kyiv_oblast[0]) + abs(kyiv_city[1] - kyiv_oblast[1]) == 1


def test_neighbours_cover_every_region_and_only_known_codes():
    assert set(NEIGHBOURS) == CODES
    for code, neighbours in NEIGHBOURS.items():
        assert neighbours, code
        assert neighbours <= CODES, code
        assert code not in neighbours


def test_neighbours_are_symmetric():
    for code, neighbours in NEIGHBOURS.items():
        for other in neighbours:
            assert code in NEIGHBOURS[other], (code, other)


def test_enclaved_cities_and_known_borders():
    assert NEIGHBOURS["UA-30"] == {"UA-32"}
    assert NEIGHBOURS["UA-40"] == {"UA-43"}
    assert NEIGHBOURS["UA-43"] == {"UA-40", "UA-65"}
    assert NEIGHBOURS["UA-09"] == {"UA-63", "UA-14"}
    assert NEIGHBOURS["UA-07"] == {"UA-56", "UA-46"}
    assert "UA-51" not in NEIGHBOURS["UA-65"]  # Mykolaiv lies between Odesa and Kherson
    assert len(NEIGHBOURS["UA-12"]) == 7  # Dnipropetrovsk borders seven regions


def test_every_region_has_a_short_name_and_an_abbreviation_in_both_languages():
    for language in ("uk", "en"):
        labels = tile_labels(language)
        assert set(labels) == CODES
        assert all(0 < len(label.abbreviation) <= 7 for label in labels.values()), language
        assert len({label.abbreviation for label in labels.values()}) == 27, language  # no two tiles alike
        assert len({label.short for label in labels.values()}) == 27, language
    assert tile_labels("uk")["UA-68"] == TileLabel("Хмельницька", "Хмел.")
    assert tile_labels("en")["UA-30"] == TileLabel("Kyiv City", "Kyiv")
