package io.vecgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCsvTest {

  @Test
  void headerIsExactlyTheAgreedOne() {
    assertEquals("index,params,sweep,recall@1,recall@10,recall@100,qps_1t,qps_all,p50_ms,p99_ms,build_s,index_bytes",
        ResultCsv.HEADER);
  }

  @Test
  void rowsQuoteCommasAndLeaveUncomputableValuesEmpty(@TempDir Path dir) throws Exception {
    ResultRow row = new ResultRow("vecgate:IVF_PQ", "nlist=64,m=8", "nprobe=4", 0.9, 0.85, Double.NaN,
        1234.56, 4000, 0.8123, 2.5, 1.25, 4096);
    assertEquals("vecgate:IVF_PQ,\"nlist=64,m=8\",nprobe=4,0.9000,0.8500,,1234.6,4000.0,0.812,2.500,1.250,4096",
        ResultCsv.format(row));
    Path f = dir.resolve("sub/r.csv");
    ResultCsv.write(f, List.of(row, row));
    List<String> lines = Files.readAllLines(f);
    assertEquals(3, lines.size());
    assertEquals(ResultCsv.HEADER, lines.get(0));
  }
}
