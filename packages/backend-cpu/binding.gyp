{
  "variables": { "tsorch_asan%": "<!(node -p \"process.env.TSORCH_CPU_ASAN === '1' ? 1 : 0\")" },
  "targets": [
    {
      "target_name": "tsorch_cpu",
      "sources": [
        "native/addon.cc",
        "native/threadpool.cc",
        "native/sdpa.cc",
        "native/isa_avx512.cc",
        "native/isa_avx2.cc",
        "native/isa_generic.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=gnu++17", "-fexceptions", "-ffp-contract=fast", "-fno-math-errno", "-Wno-psabi"],
      "conditions": [
        ["tsorch_asan==1", {
          "defines": ["TSORCH_ASAN"],
          "cflags_cc": ["-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer"],
          "ldflags": ["-fsanitize=address"]
        }, {
          "cflags_cc": ["-O3"]
        }]
      ]
    }
  ]
}
