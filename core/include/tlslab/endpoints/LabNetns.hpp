#pragma once
// Network namespaces that tlslab made itself (scenarios::NetnsTopology, the
// MITM lab's --netns). Lab sockets stay on loopback, except in a thread that
// is inside one of these: such a namespace holds only the veth pairs the lab
// created, with no route to any real network, so its private addresses can
// reach nothing but the lab's own endpoints.
#include <cstdint>

namespace tlslab::endpoints {

// The calling thread's network namespace (its nsfs inode; 0 if unknown).
std::uint64_t currentNetns();
// The namespace whose nsfs inode is `inode` is one the lab built (or no longer is).
void registerLabNetns(std::uint64_t inode);
void unregisterLabNetns(std::uint64_t inode);
// The calling thread is inside a registered lab namespace.
bool inLabNetns();

}  // namespace tlslab::endpoints
