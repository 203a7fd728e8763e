import httpx


async def test_readyz_answers_ok(registry: httpx.AsyncClient) -> None:
    response = await registry.get("/readyz")
    assert response.status_code == 200


async def test_demo_tree_before_and_after_reform(registry: httpx.AsyncClient) -> None:
    before = (await registry.get("/units/tree", params={"as_of": "2025-06-30"})).json()
    after = (await registry.get("/units/tree", params={"as_of": "2025-07-01"})).json()
    assert [n["name"] for n in before] == ["Tỉnh Quảng Ninh"]
    names_before = {c["name"] for c in before[0]["children"]}
    names_after = {c["name"] for c in after[0]["children"]}
    assert "Thành phố Hạ Long" in names_before
    assert "Thành phố Hạ Long" not in names_after
    assert "Đặc khu Vân Đồn" in names_after
