#pragma once
// The endpoints' event types for Qt code. Events.hpp declares
// Recorder::emit(), which Qt's `emit` keyword macro would erase, so the
// macro is set aside while the core header is read. Include this instead of
// tlslab/endpoints/*.hpp anywhere in gui/.
#pragma push_macro("emit")
#undef emit
#include "tlslab/endpoints/Events.hpp"
#include "tlslab/endpoints/LabClient.hpp"
#include "tlslab/endpoints/LabServer.hpp"
#include "tlslab/endpoints/RunPcapng.hpp"
#include "tlslab/scenarios/GalleryLab.hpp"
#include "tlslab/scenarios/MitmLab.hpp"
#include "tlslab/scenarios/RunTrace.hpp"
#pragma pop_macro("emit")
