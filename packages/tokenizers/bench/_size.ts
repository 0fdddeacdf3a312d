import { coreBundleSize } from "./bundle-size.js";
console.log(await coreBundleSize());
