package io.cliprec.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetStatsTest {
  @Test
  void countsDuplicatesColdItemsAndUsersWithoutTrain() {
    // 4 users, 5 items. train: u0:{0,1,1(dup)}, u1:{0}, u2:{2}; u3 no train
    Interactions train = new Interactions(new int[] {0, 0, 0, 1, 2}, new int[] {0, 1, 1, 0, 2}, null,
        null, null);
    Interactions valid = new Interactions(new int[] {0, 3}, new int[] {3, 3}, null, null, null);
    Interactions test = new Interactions(new int[] {1, 3}, new int[] {4, 0}, null, null, null);
    Dataset d = new Dataset("toy", IdIndex.identity(4), IdIndex.identity(5), train, valid, test,
        Protocol.MMREC, Map.of("format", "mmrec"));
    DatasetStats s = DatasetStats.of(d);
    assertEquals(4, s.users());
    assertEquals(5, s.items());
    assertEquals(5, s.rows(Split.TRAIN));
    assertEquals(2, s.rows(Split.VALID));
    assertEquals(9 / 20.0, s.density(), 1e-12);
    assertEquals(1, s.duplicateRows());
    assertEquals(1, s.usersWithoutTrain());
    assertEquals(2, s.itemsWithoutTrain());
    assertArrayEquals(new int[] {0, 1, 3}, s.trainPerUser()); // sorted counts 0,1,1,3 -> median 1
    assertArrayEquals(new int[] {0, 1, 2}, s.trainPerItem()); // 2,2,1,0,0 -> sorted 0,0,1,2,2
    assertEquals(1, s.coldValidItems());
    assertEquals(2, s.coldValidRows());
    assertEquals(1, s.coldTestItems());
    assertEquals(1, s.coldTestRows());
    Map<String, Object> m = s.toMap();
    assertEquals(4, m.get("users"));
    assertEquals(1, m.get("duplicate_rows"));
    assertEquals("mmrec", m.get("format"));
    String text = s.toText();
    assertTrue(text.contains("users 4") && text.contains("duplicate (user, item) rows: 1"), text);
  }

  @Test
  void itemAttributes() {
    ItemAttributes a = ItemAttributes.builder(3).set(0, "title", "A").set(2, "title", "C")
        .set(2, "brand", "x").build();
    assertEquals(List.of("title", "brand"), a.fields());
    assertEquals("C", a.get(2, "title"));
    assertEquals(null, a.get(1, "title"));
    assertEquals(Map.of("title", "C", "brand", "x"), a.of(2));
    assertEquals(2, a.count("title"));
    assertThrows(IllegalArgumentException.class, () -> a.column("nope"));
    Dataset d = new Dataset("t", IdIndex.identity(1), IdIndex.identity(3), Interactions.empty(),
        Interactions.empty(), Interactions.empty(), Protocol.MMREC, Map.of());
    assertTrue(d.itemAttributes().isEmpty());
    Dataset w = d.withItemAttributes(a);
    assertEquals("A", w.itemAttributes().get(0, "title"));
    assertEquals("A", w.withProtocol(Protocol.CTR).itemAttributes().get(0, "title"));
    assertThrows(IllegalArgumentException.class,
        () -> d.withItemAttributes(ItemAttributes.builder(2).set(0, "t", "v").build()));
  }
}
