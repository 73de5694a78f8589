import tulip_bridge


def test_version():
    assert tulip_bridge.__version__ == "0.1.0"
