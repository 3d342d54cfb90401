import { parseQuantity } from "@zhengyun/policies";
import { describe, expect, it } from "vitest";
import { usageFromQuotas } from "./usage.js";

describe("usage from quota status", () => {
  it("parses the quantities the API server reports", () => {
    expect(parseQuantity("1500m")).toBe(1.5);
    expect(parseQuantity("1536Mi")).toBe(1536 * 2 ** 20);
    expect(parseQuantity("0")).toBe(0);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity("0.5Gi")).toBe(2 ** 29);
    expect(parseQuantity("lots")).toBeUndefined();
  });

  it("rounds usage up to whole vCPU and GiB, per storage class", () => {
    const usage = usageFromQuotas([
      { "limits.cpu": "1200m", "requests.cpu": "300m", "limits.memory": "1536Mi", pods: "3" },
      { "encrypted.storageclass.storage.k8s.io/requests.storage": "10Gi", "standard.storageclass.storage.k8s.io/requests.storage": "0" },
      { "services.nodeports": "0" },
    ]);
    expect(usage).toEqual({ vcpu: 2, memory_gib: 2, storage_encrypted_gib: 10, storage_standard_gib: 0 });
  });

  it("reports nothing for a namespace without quota status yet", () => {
    expect(usageFromQuotas([{}, {}])).toEqual({});
  });
});
