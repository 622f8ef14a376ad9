package dev.wgdiag.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The index table against a HashMap model over random inserts, swaps and deletes (with colliding slots). */
class IndexTableTest {
    @Test
    void shouldAgreeWithAHashMapOverRandomOperations() {
        SplittableRandom rnd = new SplittableRandom(17);
        IndexTable table = new IndexTable(new SplittableRandom(5));
        Map<Integer, IndexTable.Entry> model = new HashMap<>();
        PeerState peer = null; // entries only carry it
        for (int i = 0; i < 200_000; i++) {
            int op = rnd.nextInt(3);
            if (op == 0 || model.isEmpty()) {
                int index = table.newIndexForHandshake(peer);
                assertNotEquals(0, index);
                assertNull(model.put(index, table.lookup(index)), "fresh index");
            } else {
                int index = model.keySet().stream().skip(rnd.nextInt(model.size())).findFirst().orElseThrow();
                if (op == 1) {
                    table.delete(index);
                    model.remove(index);
                } else {
                    table.delete(index ^ 0x55aa55aa); // mostly absent: no effect
                    model.remove(index ^ 0x55aa55aa);
                }
            }
            if (i % 1000 == 0) {
                assertEquals(model.size(), table.size());
                for (Map.Entry<Integer, IndexTable.Entry> e : model.entrySet()) {
                    assertTrue(table.lookup(e.getKey()) == e.getValue(), "index " + e.getKey());
                }
            }
            if (model.size() > 3000) {
                for (Integer k : model.keySet().stream().limit(2000).toList()) {
                    table.delete(k);
                    model.remove(k);
                }
            }
        }
        assertNull(table.lookup(0));
    }
}
