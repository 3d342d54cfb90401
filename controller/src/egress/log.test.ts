import { describe, expect, it } from "vitest";
import { parseLogLine } from "./log.js";

describe("gateway access log lines", () => {
  it("reads allowed, tunnelled and refused connections", () => {
    expect(parseLogLine("zy1 1764756000.123 20001 127.0.0.1 GET allowed.test 80 200 TCP_MISS 120 4567 12")).toEqual({
      at: new Date(1764756000123),
      gatewayPort: 20001,
      client: "127.0.0.1",
      method: "GET",
      host: "allowed.test",
      port: 80,
      status: 200,
      action: "allowed",
      squidStatus: "TCP_MISS",
      bytesIn: 4567,
      bytesOut: 120,
      durationMs: 12,
    });
    expect(parseLogLine("zy1 1764756000.500 20001 127.0.0.1 CONNECT Allowed.Test 443 200 TCP_TUNNEL 300 9000 40")?.host).toBe("allowed.test");
    const refused = parseLogLine("zy1 1764756001.000 20002 127.0.0.1 GET other.test 80 403 TCP_DENIED 110 3900 0");
    expect(refused?.action).toBe("denied");
    expect(parseLogLine("zy1 1764756001.000 20002 127.0.0.1 NONE - - 0 NONE_NONE - - 0")).toMatchObject({ host: "", port: 0, bytesIn: 0 });
  });

  it("ignores lines of another format", () => {
    expect(parseLogLine("1764756000.123 12 127.0.0.1 TCP_MISS/200 4567 GET http://x/ - HIER_DIRECT/1.2.3.4 text/html")).toBeNull();
    expect(parseLogLine("")).toBeNull();
    expect(parseLogLine("zy1 notatime 20001 a b c d e f g h i")).toBeNull();
  });
});
